/* The teacher's journal page of ГИС ЦОПП: a spreadsheet-like grid of
 * students × lessons. Every cell saves itself (POST …/cell) as soon as a
 * complete code is typed or the cursor leaves it. No framework, no CDN. */
(function () {
  'use strict';

  var data = JSON.parse(document.getElementById('journal-data').textContent);
  var base = '/' + encodeURIComponent(data.database) + '/journal/' + data.workload.id;
  var editable = !!data.editable;
  var grid = document.getElementById('grid');
  var notice = document.getElementById('notice');
  var CODES = data.legend.map(function (item) { return item[0]; });
  var lessons = data.lessons;
  var students = data.students;
  var inputs = [];          // inputs[row][col]
  var pending = 0;
  var lastCell = null;

  // Latin keyboard layout → Russian (a teacher who forgot to switch it)
  var LAYOUT = {q: 'й', w: 'ц', e: 'у', r: 'к', t: 'е', y: 'н', u: 'г', i: 'ш',
    o: 'щ', p: 'з', '[': 'х', ']': 'ъ', a: 'ф', s: 'ы', d: 'в', f: 'а', g: 'п',
    h: 'р', j: 'о', k: 'л', l: 'д', ';': 'ж', "'": 'э', z: 'я', x: 'ч',
    c: 'с', v: 'м', b: 'и', n: 'т', m: 'ь', ',': 'б', '.': 'ю'};
  var ALIASES = {n: 'н', b: 'б', z: 'з', nz: 'нз', u: 'у', op: 'оп', pr: 'пр'};

  function normalize(text) {
    var raw = (text || '').trim().toLowerCase().replace(/ё/g, 'е').replace(/[\s\/+]/g, '');
    if (ALIASES[raw]) { return ALIASES[raw]; }
    if (/[a-z\[\];',.]/.test(raw)) {
      raw = raw.split('').map(function (c) { return LAYOUT[c] || c; }).join('');
    }
    return raw;
  }

  function complete(text) {
    // A code no other code starts with: save without waiting.
    var value = normalize(text);
    if (!value) { return false; }
    var known = CODES.indexOf(value) >= 0 || /^оп[2-5з]$|^[2-5]оп$|^опнз$/.test(value);
    if (!known) { return false; }
    return !CODES.some(function (code) { return code !== value && code.indexOf(value) === 0; })
      && !(value === 'оп');
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === 'className') { node.className = attrs[key]; }
      else if (key === 'dataset') { Object.assign(node.dataset, attrs[key]); }
      else { node.setAttribute(key, attrs[key]); }
    });
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  function show(message, kind) {
    notice.hidden = !message;
    notice.textContent = message || '';
    notice.className = 'notice' + (kind ? ' ' + kind : '');
  }

  function request(url, body) {
    return fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: {'Content-Type': 'application/json', 'X-CSRF-Token': data.csrf,
        'Accept': 'application/json'},
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (json) {
        if (!response.ok) {
          var error = new Error(json.error || ('Ошибка сервера: ' + response.status));
          error.status = response.status;
          throw error;
        }
        return json;
      });
    });
  }

  function dateLabel(iso) {
    var parts = iso.split('-');
    return parts[2] + '.' + parts[1];
  }

  function fmt(value, digits) {
    if (value === null || value === undefined) { return ''; }
    return Number(value).toFixed(digits).replace('.', ',');
  }

  // Grid ------------------------------------------------------------------

  function buildGrid() {
    grid.textContent = '';
    var thead = el('thead');
    var head = el('tr');
    head.appendChild(el('th', {className: 'num', scope: 'col'}, '№'));
    head.appendChild(el('th', {className: 'name', scope: 'col'}, 'Обучающийся'));
    lessons.forEach(function (lesson, col) {
      var th = el('th', {className: 'date' + (lesson.topic ? '' : ' no-topic') + (lesson.locked ? ' locked' : '')
        + (lesson.future ? ' future' : ''), scope: 'col'});
      var button = el('button', {type: 'button', className: 'date-button',
        title: (lesson.topic || 'Тема не указана') + (lesson.locked ? '\n' + lesson.locked : '')
          + (lesson.future ? '\nЗанятие ещё не прошло' : ''),
        dataset: {col: col}});
      button.appendChild(el('span', {className: 'day'}, dateLabel(lesson.date)));
      button.appendChild(el('span', {className: 'pair'}, lesson.pair ? lesson.pair + ' п.' : ''));
      button.addEventListener('click', function () { openTopic(col, button); });
      th.appendChild(button);
      head.appendChild(th);
    });
    head.appendChild(el('th', {className: 'total', scope: 'col', title: 'Средний балл за месяц'}, 'Ср.'));
    head.appendChild(el('th', {className: 'total', scope: 'col', title: 'Пропущено часов за месяц (в скобках — по уважительной причине)'}, 'Пропуск, ч'));
    head.appendChild(el('th', {className: 'total', scope: 'col', title: 'Средний балл за семестр'}, 'Ср. сем.'));
    thead.appendChild(head);
    grid.appendChild(thead);

    var tbody = el('tbody');
    inputs = [];
    students.forEach(function (student, row) {
      var tr = el('tr', {className: student.left ? 'left' : '', dataset: {student: student.id}});
      tr.appendChild(el('td', {className: 'num'}, row + 1));
      var name = el('th', {className: 'name', scope: 'row', title: student.full_name
        + (student.record_book ? ' (зач. кн. ' + student.record_book + ')' : '')
        + (student.left ? ' — выбыл из группы' : '')}, student.name);
      tr.appendChild(name);
      var rowInputs = [];
      lessons.forEach(function (lesson, col) {
        var td = el('td', {className: 'cell' + (lesson.locked ? ' locked' : '') + (lesson.future ? ' future' : '')});
        var key = lesson.id + ':' + student.id;
        var value = data.cells[key] || '';
        var input = el('input', {type: 'text', maxlength: '4', autocomplete: 'off',
          autocapitalize: 'off', spellcheck: 'false', inputmode: 'text',
          'aria-label': student.name + ', ' + dateLabel(lesson.date),
          dataset: {row: row, col: col, lesson: lesson.id, student: student.id}});
        input.value = value;
        input.dataset.saved = value;
        decorate(input, value);
        if (!editable || lesson.locked) {
          input.readOnly = true;
          if (lesson.locked) { input.title = lesson.locked; }
        }
        td.appendChild(input);
        tr.appendChild(td);
        rowInputs.push(input);
      });
      inputs.push(rowInputs);
      var totals = data.totals[String(student.id)] || {};
      tr.appendChild(el('td', {className: 'total avg', dataset: {total: 'average'}}, fmt(totals.average, 2)));
      tr.appendChild(el('td', {className: 'total missed', dataset: {total: 'missed'}}, missedText(totals)));
      tr.appendChild(el('td', {className: 'total term', dataset: {total: 'term_average'}}, fmt(totals.term_average, 2)));
      tbody.appendChild(tr);
    });
    grid.appendChild(tbody);
    if (!lessons.length) {
      show('В этом месяце по нагрузке нет занятий. Добавьте занятие ниже или выберите другой месяц.', 'info');
    }
  }

  function missedText(totals) {
    if (!totals || !totals.missed) { return ''; }
    return totals.missed + (totals.excused ? ' (' + totals.excused + ')' : '');
  }

  function decorate(input, value) {
    var v = normalize(value);
    input.classList.remove('m5', 'm4', 'm3', 'm2', 'abs', 'exc', 'late', 'pass', 'fail');
    if (/5/.test(v)) { input.classList.add('m5'); }
    else if (/4/.test(v)) { input.classList.add('m4'); }
    else if (/3/.test(v)) { input.classList.add('m3'); }
    else if (/2/.test(v)) { input.classList.add('m2'); }
    if (v === 'н') { input.classList.add('abs'); }
    if (v === 'б' || v === 'у' || v === 'пр') { input.classList.add('exc'); }
    if (v.indexOf('оп') === 0 || /оп$/.test(v)) { input.classList.add('late'); }
    if (v === 'з' || /оп?з$/.test(v)) { input.classList.add('pass'); }
    if (v === 'нз') { input.classList.add('fail'); }
  }

  function setState(input, state, message) {
    input.classList.remove('saving', 'saved', 'error', 'dirty');
    if (state) { input.classList.add(state); }
    input.parentNode.title = message || '';
    if (state === 'saved') {
      setTimeout(function () { input.classList.remove('saved'); }, 1200);
    }
  }

  function save(input) {
    var value = input.value;
    if (input.readOnly || value === input.dataset.saved) {
      if (input.classList.contains('dirty')) { setState(input, null); }
      return Promise.resolve();
    }
    if (input.dataset.inflight === value) { return Promise.resolve(); }
    input.dataset.inflight = value;
    clearTimeout(input._timer);
    setState(input, 'saving');
    pending++;
    return request(base + '/cell', {
      lesson: Number(input.dataset.lesson), student: Number(input.dataset.student), value: value
    }).then(function (result) {
      input.dataset.saved = result.text;
      if (input.value === value) { input.value = result.text; }
      decorate(input, input.value);
      setState(input, 'saved');
      updateTotals(input.dataset.student, result.totals);
      if (result.warning) { show(result.warning, 'warning'); }
      else if (notice.classList.contains('error')) { show(''); }
    }).catch(function (error) {
      setState(input, 'error', error.message);
      show(error.message, 'error');
    }).then(function () {
      pending--;
      delete input.dataset.inflight;
      if (input.value !== input.dataset.saved && document.activeElement !== input
          && !input.classList.contains('error')) {
        save(input);
      }
    });
  }

  function updateTotals(studentId, totals) {
    var row = grid.querySelector('tr[data-student="' + studentId + '"]');
    if (!row || !totals) { return; }
    row.querySelector('[data-total="average"]').textContent = fmt(totals.average, 2);
    row.querySelector('[data-total="missed"]').textContent = missedText(totals);
    row.querySelector('[data-total="term_average"]').textContent = fmt(totals.term_average, 2);
  }

  function focusCell(row, col) {
    if (!inputs.length || !lessons.length) { return; }
    row = Math.max(0, Math.min(inputs.length - 1, row));
    col = Math.max(0, Math.min(lessons.length - 1, col));
    var input = inputs[row][col];
    input.focus();
    input.select();
  }

  function onKey(event) {
    var input = event.target;
    if (!input.dataset || input.dataset.row === undefined) { return; }
    var row = Number(input.dataset.row), col = Number(input.dataset.col);
    var move = null;
    switch (event.key) {
      case 'ArrowRight': move = [row, col + 1]; break;
      case 'ArrowLeft': move = [row, col - 1]; break;
      case 'ArrowUp': move = [row - 1, col]; break;
      case 'ArrowDown': move = [row + 1, col]; break;
      case 'Enter': move = event.shiftKey ? [row - 1, col] : [row + 1, col]; break;
      case 'Tab':
        if (event.shiftKey) {
          move = col > 0 ? [row, col - 1] : [row - 1, lessons.length - 1];
        } else {
          move = col < lessons.length - 1 ? [row, col + 1] : [row + 1, 0];
        }
        if ((event.shiftKey && row === 0 && col === 0)
            || (!event.shiftKey && row === inputs.length - 1 && col === lessons.length - 1)) {
          move = null;  // leave the grid
        }
        break;
      case 'Home': move = [row, 0]; break;
      case 'End': move = [row, lessons.length - 1]; break;
      case 'Escape':
        input.value = input.dataset.saved;
        decorate(input, input.value);
        setState(input, null);
        event.preventDefault();
        return;
      case 'Delete':
        if (!input.readOnly) {
          input.value = '';
          markDirty(input);
          save(input);
        }
        event.preventDefault();
        return;
      default: return;
    }
    if (move) {
      event.preventDefault();
      save(input);
      focusCell(move[0], move[1]);
    }
  }

  function markDirty(input) {
    if (input.value !== input.dataset.saved) {
      setState(input, 'dirty');
    } else {
      setState(input, null);
    }
    decorate(input, input.value);
  }

  function onInput(event) {
    var input = event.target;
    if (input.readOnly) { return; }
    markDirty(input);
    clearTimeout(input._timer);
    if (complete(input.value)) {
      save(input);
    } else {
      input._timer = setTimeout(function () { save(input); }, 900);
    }
  }

  grid.addEventListener('keydown', onKey);
  grid.addEventListener('input', onInput);
  grid.addEventListener('focusin', function (event) {
    if (event.target.tagName === 'INPUT') {
      lastCell = event.target;
      event.target.select();
    }
  });
  // A click selects the cell's content: typing replaces it, as in a
  // spreadsheet (the mouseup would otherwise drop the selection).
  grid.addEventListener('mouseup', function (event) {
    if (event.target.tagName === 'INPUT') {
      event.preventDefault();
      event.target.select();
    }
  });
  grid.addEventListener('focusout', function (event) {
    if (event.target.tagName === 'INPUT') { save(event.target); }
  });

  // Quick entry (tablets) ---------------------------------------------------

  function buildQuick() {
    var quick = document.getElementById('quick');
    if (!editable) { quick.hidden = true; return; }
    CODES.forEach(function (code) {
      var button = el('button', {type: 'button', className: 'q', dataset: {code: code}}, code);
      button.addEventListener('mousedown', function (event) { event.preventDefault(); });
      button.addEventListener('click', function () { quickEnter(code); });
      quick.appendChild(button);
    });
    var clear = el('button', {type: 'button', className: 'q clear', title: 'Очистить клетку'}, '⌫');
    clear.addEventListener('mousedown', function (event) { event.preventDefault(); });
    clear.addEventListener('click', function () { quickEnter(''); });
    quick.appendChild(clear);
  }

  function quickEnter(code) {
    var input = lastCell;
    if (!input || input.readOnly) {
      show('Выберите клетку журнала.', 'info');
      return;
    }
    input.value = code;
    markDirty(input);
    save(input);
    var row = Number(input.dataset.row), col = Number(input.dataset.col);
    if (row < inputs.length - 1) { focusCell(row + 1, col); }
  }

  // Lesson topics ----------------------------------------------------------

  var editor = document.getElementById('topic-editor');
  var editorCol = null;
  var kindSelect = document.getElementById('kind-input');
  (data.kinds || []).forEach(function (kind) {
    kindSelect.appendChild(el('option', {value: kind[0]}, kind[1]));
    document.querySelector('#add-lesson select[name="kind"]').appendChild(
      el('option', {value: kind[0]}, kind[1]));
  });

  function openTopic(col, anchor) {
    var lesson = lessons[col];
    editorCol = col;
    document.getElementById('topic-editor-title').textContent =
      dateLabel(lesson.date) + (lesson.pair ? ', ' + lesson.pair + ' пара' : '')
      + (lesson.start ? ' (' + lesson.start + ')' : '');
    document.getElementById('topic-input').value = lesson.topic;
    document.getElementById('homework-input').value = lesson.homework;
    kindSelect.value = lesson.kind;
    document.getElementById('hours-input').value = lesson.hours;
    var ro = !editable || !!lesson.locked;
    ['topic-input', 'homework-input', 'kind-input', 'hours-input', 'topic-save'].forEach(function (id) {
      document.getElementById(id).disabled = ro;
    });
    var rect = anchor.getBoundingClientRect();
    editor.style.top = (window.scrollY + rect.bottom + 4) + 'px';
    editor.style.left = Math.max(8, Math.min(window.scrollX + rect.left,
      window.scrollX + document.documentElement.clientWidth - 340)) + 'px';
    editor.hidden = false;
    document.getElementById('topic-input').focus();
  }

  function closeTopic() {
    editor.hidden = true;
    if (editorCol !== null && inputs.length) { focusCell(0, editorCol); }
    editorCol = null;
  }

  function saveLesson(col, values) {
    var lesson = lessons[col];
    return request(base + '/lesson/' + lesson.id, values).then(function (result) {
      Object.assign(lesson, result);
      refreshTopics();
      var th = grid.querySelectorAll('thead th.date')[col];
      if (th) {
        th.classList.toggle('no-topic', !lesson.topic);
        th.querySelector('button').title = lesson.topic || 'Тема не указана';
      }
      show('Занятие ' + dateLabel(lesson.date) + ' сохранено.', 'ok');
      return result;
    }).catch(function (error) { show(error.message, 'error'); throw error; });
  }

  document.getElementById('topic-save').addEventListener('click', function () {
    if (editorCol === null) { return; }
    saveLesson(editorCol, {
      topic: document.getElementById('topic-input').value,
      homework: document.getElementById('homework-input').value,
      kind: kindSelect.value,
      hours: document.getElementById('hours-input').value
    }).then(closeTopic, function () {});
  });
  document.getElementById('topic-close').addEventListener('click', closeTopic);
  editor.addEventListener('keydown', function (event) {
    if (event.key === 'Escape') { closeTopic(); }
    if (event.key === 'Enter' && event.target.tagName === 'INPUT') {
      event.preventDefault();
      document.getElementById('topic-save').click();
    }
  });

  function kindName(value) {
    var found = (data.kinds || []).filter(function (k) { return k[0] === value; })[0];
    return found ? found[1] : value;
  }

  function refreshTopics() {
    var body = document.querySelector('#topics tbody');
    body.textContent = '';
    lessons.forEach(function (lesson, col) {
      var tr = el('tr');
      tr.appendChild(el('td', {}, dateLabel(lesson.date)));
      tr.appendChild(el('td', {}, lesson.pair || ''));
      tr.appendChild(el('td', {}, lesson.hours));
      tr.appendChild(el('td', {}, kindName(lesson.kind)));
      ['topic', 'homework'].forEach(function (field) {
        var td = el('td');
        var input = el('input', {type: 'text', maxlength: '500', className: 'topic-field',
          'aria-label': (field === 'topic' ? 'Тема ' : 'Домашнее задание ') + dateLabel(lesson.date)});
        input.value = lesson[field] || '';
        input.readOnly = !editable || !!lesson.locked;
        input.addEventListener('change', function () {
          var values = {};
          values[field] = input.value;
          saveLesson(col, values).catch(function () {});
        });
        td.appendChild(input);
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
  }

  // Adding a lesson, months, workloads -----------------------------------------

  var addForm = document.getElementById('add-lesson');
  if (!editable) { addForm.hidden = true; }
  addForm.addEventListener('submit', function (event) {
    event.preventDefault();
    var form = new FormData(addForm);
    var values = {};
    form.forEach(function (value, key) { values[key] = value; });
    request(base + '/lessons', values).then(function (result) {
      location.href = base + '?month=' + result.date.slice(0, 7);
    }).catch(function (error) { show(error.message, 'error'); });
  });
  var firstDay = data.month;
  addForm.querySelector('input[name="date"]').value =
    (new Date().toISOString().slice(0, 7) === firstDay.slice(0, 7))
      ? new Date().toISOString().slice(0, 10) : firstDay;

  function goMonth(value) {
    location.href = base + '?month=' + value;
  }
  var monthSelect = document.getElementById('month-select');
  monthSelect.addEventListener('change', function () { goMonth(monthSelect.value); });
  document.getElementById('month-prev').addEventListener('click', function () {
    if (monthSelect.selectedIndex > 0) { goMonth(monthSelect.options[monthSelect.selectedIndex - 1].value); }
  });
  document.getElementById('month-next').addEventListener('click', function () {
    if (monthSelect.selectedIndex < monthSelect.options.length - 1) {
      goMonth(monthSelect.options[monthSelect.selectedIndex + 1].value);
    }
  });
  document.getElementById('month-prev').disabled = monthSelect.selectedIndex <= 0;
  document.getElementById('month-next').disabled = monthSelect.selectedIndex >= monthSelect.options.length - 1;
  var workloadSelect = document.getElementById('workload-select');
  workloadSelect.addEventListener('change', function () {
    location.href = '/' + encodeURIComponent(data.database) + '/journal/' + workloadSelect.value
      + '?month=' + data.month.slice(0, 7);
  });

  var legend = document.getElementById('legend');
  data.legend.forEach(function (item) {
    var li = el('li');
    li.appendChild(el('code', {}, item[0]));
    li.appendChild(document.createTextNode(' — ' + item[1]));
    legend.appendChild(li);
  });

  window.addEventListener('beforeunload', function (event) {
    var dirty = grid.querySelectorAll('input.dirty, input.saving').length;
    if (pending || dirty) {
      event.preventDefault();
      event.returnValue = '';
    }
  });

  buildGrid();
  buildQuick();
  refreshTopics();
  window.copJournal = {pending: function () { return pending; }};
  if (editable && inputs.length && lessons.length) {
    // Start in the column of today's lesson (or the last one).
    var today = new Date().toISOString().slice(0, 10);
    var col = lessons.length - 1;
    for (var i = 0; i < lessons.length; i++) {
      if (lessons[i].date >= today) { col = i; break; }
    }
    focusCell(0, col);
  }
}());
