/* Login of the journal page: trytond's own /<db>/session/login sets the
 * back-office session cookie (the same one sao uses), then the page reloads. */
(function () {
  'use strict';
  var form = document.getElementById('login-form');
  var error = document.getElementById('login-error');
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    error.hidden = true;
    var database = form.dataset.database;
    var body = {id: 0, method: 'common.db.login', params: [
      document.getElementById('login').value,
      {password: document.getElementById('password').value}, 'ru']};
    fetch('/' + encodeURIComponent(database) + '/session/login', {
      method: 'POST', credentials: 'same-origin',
      headers: {'Content-Type': 'application/json'},
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().catch(function () { return null; }).then(function (json) {
        if (!response.ok || !json || json.error) {
          throw new Error(response.status === 429
            ? 'Слишком много попыток входа. Повторите позже.'
            : 'Неверный логин или пароль.');
        }
        var next = form.dataset.next || ('/' + database + '/journal/');
        if (next.charAt(0) !== '/' || next.charAt(1) === '/') { next = '/' + database + '/journal/'; }
        location.href = next;
      });
    }).catch(function (e) {
      error.textContent = e.message;
      error.hidden = false;
    });
  });
}());
