/* The attempt page of a quiz: every answer is saved as soon as it is given
 * (POST JSON with the CSRF header, one question per request) and the
 * question shows «Сохранено»; the countdown starts from the number of
 * seconds the SERVER computed from its deadline (the device's clock is not
 * trusted). Without this script the page's form still saves. */
(function () {
  'use strict';
  var form = document.getElementById('quiz-form');
  if (!form || !window.fetch) { return; }
  var url = form.getAttribute('data-save');
  var csrf = form.getAttribute('data-csrf');
  var attemptUrl = form.getAttribute('data-attempt');
  var timers = {};

  function values(fieldset) {
    var result = {};
    fieldset.querySelectorAll('input, select, textarea').forEach(function (el) {
      if (!el.name) { return; }
      if (!(el.name in result)) { result[el.name] = []; }
      if ((el.type === 'radio' || el.type === 'checkbox') && !el.checked) { return; }
      result[el.name].push(el.value);
    });
    return result;
  }

  function status(fieldset, text, kind) {
    var node = fieldset.querySelector('[data-status]');
    if (node) {
      node.textContent = text;
      node.className = 'quiz-status' + (kind ? ' quiz-status-' + kind : '');
    }
  }

  function save(fieldset) {
    status(fieldset, 'Сохранение…');
    fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: {'Content-Type': 'application/json', 'Accept': 'application/json',
        'X-CSRF-Token': csrf},
      body: JSON.stringify({question: Number(fieldset.getAttribute('data-question')),
        values: values(fieldset)})
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (response.status === 409 || data.status === 'closed') {
          status(fieldset, 'Попытка завершена', 'error');
          window.location.href = attemptUrl + '/review';
        } else if (response.ok) {
          status(fieldset, 'Сохранено', 'ok');
        } else {
          status(fieldset, 'Не сохранено: обновите страницу', 'error');
        }
      });
    }).catch(function () {
      status(fieldset, 'Нет связи: ответ не сохранён, повторите', 'error');
    });
  }

  function schedule(fieldset, delay) {
    var id = fieldset.getAttribute('data-question');
    clearTimeout(timers[id]);
    timers[id] = setTimeout(function () { save(fieldset); }, delay);
  }

  form.querySelectorAll('fieldset[data-question]').forEach(function (fieldset) {
    fieldset.addEventListener('change', function () { schedule(fieldset, 0); });
    fieldset.addEventListener('input', function (event) {
      if (event.target.tagName === 'TEXTAREA' || event.target.type === 'text') {
        status(fieldset, 'Не сохранено…');
        schedule(fieldset, 1500);
      }
    });
  });

  var timer = document.getElementById('quiz-timer');
  if (timer) {
    var remaining = Number(timer.getAttribute('data-remaining'));
    var clock = timer.querySelector('[data-clock]');
    var started = Date.now();
    var pad = function (n) { return (n < 10 ? '0' : '') + n; };
    var tick = function () {
      var left = Math.max(0, remaining - Math.floor((Date.now() - started) / 1000));
      clock.textContent = Math.floor(left / 3600) + ':' + pad(Math.floor(left % 3600 / 60)) + ':' + pad(left % 60);
      if (left <= 60) { timer.classList.add('quiz-timer-low'); }
      if (left <= 0) {
        clearInterval(interval);
        // The server ends the attempt at its deadline: show the result.
        window.location.href = attemptUrl + '/review';
      }
    };
    var interval = setInterval(tick, 1000);
    tick();
  }
})();
