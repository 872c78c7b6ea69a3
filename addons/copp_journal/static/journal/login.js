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
    var codeLabel = document.getElementById('code-label');
    var parameters = {password: document.getElementById('password').value};
    if (!codeLabel.hidden) {
      parameters.totp_code = document.getElementById('totp_code').value;
    }
    var body = {id: 0, method: 'common.db.login', params: [
      document.getElementById('login').value, parameters, 'ru']};
    fetch('/' + encodeURIComponent(database) + '/session/login', {
      method: 'POST', credentials: 'same-origin',
      headers: {'Content-Type': 'application/json'},
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().catch(function () { return null; }).then(function (json) {
        if (json && json.error && json.error[0] === 'LoginException'
            && json.error[1][0] === 'totp_code') {
          // The account has a second factor: the server asks for its code.
          codeLabel.hidden = false;
          document.getElementById('totp_code').focus();
          throw new Error(json.error[1][1]);
        }
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
