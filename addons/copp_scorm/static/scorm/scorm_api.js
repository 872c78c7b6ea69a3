/* The SCORM 1.2 runtime API of the cabinet's player (window.API).

   The player page gives the learner's stored data in
   <script type="application/json" id="scorm-data"> and the SCO's address
   in the iframe's data-src: the API exists before the SCO loads, as SCORM
   content looks for window.parent.API when it starts.

   Data model: cmi.core.* (student_id, student_name, lesson_location,
   credit, lesson_status, entry, score.raw/min/max, total_time,
   lesson_mode, exit, session_time), cmi.suspend_data, cmi.launch_data,
   cmi.student_data.mastery_score, with the read-only / write-only rules
   and the types of the SCORM 1.2 RTE and its error codes. The other
   elements of the 1.2 data model (objectives, interactions, comments,
   student_preference) answer 401 «not implemented».

   LMSCommit and LMSFinish post the values to the server (JSON with the
   CSRF header, one request at a time, keepalive so that a commit made
   while the page closes is delivered); the server checks them again.
   When the page is left before LMSFinish, the values go with
   navigator.sendBeacon (a form with the CSRF token). */
(function () {
    'use strict';

    var dataNode = document.getElementById('scorm-data');
    var frame = document.getElementById('scorm-frame');
    if (!dataNode || !frame) {
        return;
    }
    var server = JSON.parse(dataNode.textContent);
    var statusNode = document.getElementById('scorm-status');

    var ERRORS = {
        '0': 'No error',
        '101': 'General exception',
        '201': 'Invalid argument error',
        '202': 'Element cannot have children',
        '203': 'Element not an array - cannot have count',
        '301': 'Not initialized',
        '401': 'Not implemented error',
        '402': 'Invalid set value, element is a keyword',
        '403': 'Element is read only',
        '404': 'Element is write only',
        '405': 'Incorrect data type'
    };
    var STATUS_LABELS = {
        'passed': 'пройден',
        'completed': 'завершён',
        'failed': 'не пройден',
        'incomplete': 'не завершён',
        'browsed': 'просмотрен',
        'not attempted': 'не начат'
    };
    var STATUSES = ['passed', 'completed', 'failed', 'incomplete',
        'browsed'];
    var EXITS = ['', 'time-out', 'suspend', 'logout'];
    var DECIMAL = /^-?\d{1,10}(\.\d{1,10})?$/;
    var TIMESPAN = /^\d{2,4}:[0-5]\d:[0-5]\d(\.\d{1,2})?$/;
    // Recognised elements of the 1.2 data model this LMS does not keep
    var NOT_IMPLEMENTED = /^cmi\.(comments|comments_from_lms|objectives|interactions|student_preference)(\.|$)|^cmi\.student_data\.(max_time_allowed|time_limit_action)$/;

    function randomKey() {
        var bytes = new Uint8Array(16);
        window.crypto.getRandomValues(bytes);
        return Array.prototype.map.call(bytes, function (b) {
            return ('0' + b.toString(16)).slice(-2);
        }).join('');
    }

    // The values of the session
    var values = {
        lesson_status: server.lesson_status || 'not attempted',
        lesson_location: server.lesson_location || '',
        score_raw: server.score_raw || '',
        score_min: server.score_min || '',
        score_max: server.score_max || '',
        exit: '',
        session_time: '',
        suspend_data: server.suspend_data || ''
    };
    var state = 'new';          // new → running → finished
    var lastError = '0';
    var diagnostic = '';
    var session = randomKey();
    var dirty = false;
    var queue = Promise.resolve();

    function text(maximum) {
        return function (value) {
            return value.length <= maximum;
        };
    }
    function decimalOrBlank(value) {
        return value === '' || DECIMAL.test(value);
    }
    function vocabulary(words) {
        return function (value) {
            return words.indexOf(value) !== -1;
        };
    }
    function constant(name) {
        return function () {
            return server[name] === undefined || server[name] === null ?
                '' : String(server[name]);
        };
    }
    function field(name) {
        return function () {
            return values[name];
        };
    }

    // element: {get: function | undefined (write only),
    //           set: key of `values` | undefined (read only), check}
    var MODEL = {
        'cmi._version': {get: function () { return '3.4'; }},
        'cmi.core._children': {get: function () {
            return 'student_id,student_name,lesson_location,credit,' +
                'lesson_status,entry,score,total_time,lesson_mode,exit,' +
                'session_time';
        }},
        'cmi.core.student_id': {get: constant('student_id')},
        'cmi.core.student_name': {get: constant('student_name')},
        'cmi.core.lesson_location': {get: field('lesson_location'),
            set: 'lesson_location', check: text(255)},
        'cmi.core.credit': {get: constant('credit')},
        'cmi.core.lesson_status': {get: field('lesson_status'),
            set: 'lesson_status', check: vocabulary(STATUSES)},
        'cmi.core.entry': {get: constant('entry')},
        'cmi.core.score._children': {get: function () {
            return 'raw,min,max';
        }},
        'cmi.core.score.raw': {get: field('score_raw'), set: 'score_raw',
            check: decimalOrBlank},
        'cmi.core.score.min': {get: field('score_min'), set: 'score_min',
            check: decimalOrBlank},
        'cmi.core.score.max': {get: field('score_max'), set: 'score_max',
            check: decimalOrBlank},
        'cmi.core.total_time': {get: constant('total_time')},
        'cmi.core.lesson_mode': {get: constant('lesson_mode')},
        'cmi.core.exit': {set: 'exit', check: vocabulary(EXITS)},
        'cmi.core.session_time': {set: 'session_time', check: function (
            value) {
            return TIMESPAN.test(value);
        }},
        'cmi.suspend_data': {get: field('suspend_data'),
            set: 'suspend_data', check: text(4096)},
        'cmi.launch_data': {get: constant('launch_data')},
        'cmi.student_data._children': {get: function () {
            return 'mastery_score';
        }},
        'cmi.student_data.mastery_score': {get: constant('mastery_score')}
    };

    function fail(code, detail) {
        lastError = code;
        diagnostic = detail || '';
        return code;
    }

    function isKeyword(name) {
        return /\._(children|count|version)$/.test(name);
    }

    // An element of the model, or a group of elements (cmi.core.score)
    function known(name) {
        var prefix = name + '.';
        return MODEL.hasOwnProperty(name) || Object.keys(MODEL).some(
            function (key) {
                return key.indexOf(prefix) === 0;
            });
    }

    // The element of `name`, or the error code of why it is none
    function lookup(name) {
        if (MODEL.hasOwnProperty(name)) {
            return MODEL[name];
        }
        if (NOT_IMPLEMENTED.test(name)) {
            return '401';
        }
        var parent = name.replace(/\._(children|count)$/, '');
        if (parent !== name && known(parent)) {
            return /\._count$/.test(name) ? '203' : '202';
        }
        return '201';
    }

    function argument(value) {
        return value === undefined || value === null ? '' : String(value);
    }

    function running(detail) {
        if (state !== 'running') {
            fail('301', detail);
            return false;
        }
        return true;
    }

    function snapshot(finish) {
        return {
            session: session,
            finish: finish,
            lesson_status: values.lesson_status,
            lesson_location: values.lesson_location,
            score_raw: values.score_raw,
            score_min: values.score_min,
            score_max: values.score_max,
            session_time: values.session_time,
            exit: values.exit,
            suspend_data: values.suspend_data
        };
    }

    function show(message, error) {
        if (!statusNode) {
            return;
        }
        statusNode.textContent = message;
        statusNode.classList.toggle('scorm-error', !!error);
    }

    function saved(body) {
        var label = STATUS_LABELS[body.lesson_status] || body.lesson_status;
        var message = 'Результат сохранён. Статус: ' + label;
        if (values.score_raw !== '') {
            message += ', баллы: ' + values.score_raw;
        }
        show(message + '.');
    }

    function post(finish) {
        var body = JSON.stringify(snapshot(finish));
        dirty = false;
        queue = queue.then(function () {
            return fetch(server.commit_url, {
                method: 'POST',
                credentials: 'same-origin',
                keepalive: true,
                headers: {
                    'Content-Type': 'application/json',
                    'X-CSRF-Token': server.csrf_token
                },
                body: body
            }).then(function (response) {
                return response.json().catch(function () {
                    return {};
                }).then(function (answer) {
                    if (response.ok && answer.result === 'true') {
                        saved(answer);
                    } else {
                        show('Результат не сохранён: ' + (answer.error ||
                            'ошибка сервера (' + response.status + ')') +
                            '.', true);
                    }
                });
            }, function () {
                dirty = true;
                show('Результат не сохранён: нет связи с сервером. ' +
                    'Не закрывайте страницу и повторите попытку.', true);
            });
        });
        return queue;
    }

    var API = {
        LMSInitialize: function (parameter) {
            if (argument(parameter) !== '') {
                return fail('201', 'LMSInitialize takes ""') && 'false';
            }
            if (state !== 'new') {
                return fail('101', state === 'running' ?
                    'Already initialized' : 'Already finished') && 'false';
            }
            state = 'running';
            fail('0');
            return 'true';
        },
        LMSFinish: function (parameter) {
            if (argument(parameter) !== '') {
                return fail('201', 'LMSFinish takes ""') && 'false';
            }
            if (!running('LMSFinish before LMSInitialize')) {
                return 'false';
            }
            state = 'finished';
            post(true);
            fail('0');
            return 'true';
        },
        LMSGetValue: function (name) {
            name = argument(name);
            if (!running('LMSGetValue before LMSInitialize')) {
                return '';
            }
            var element = lookup(name);
            if (typeof element === 'string') {
                fail(element, name);
                return '';
            }
            if (!element.get) {
                fail('404', name);
                return '';
            }
            fail('0');
            return element.get();
        },
        LMSSetValue: function (name, value) {
            name = argument(name);
            value = argument(value);
            if (!running('LMSSetValue before LMSInitialize')) {
                return 'false';
            }
            if (isKeyword(name)) {
                fail(lookup(name) === '201' ? '201' : '402', name);
                return 'false';
            }
            var element = lookup(name);
            if (typeof element === 'string') {
                fail(element, name);
                return 'false';
            }
            if (!element.set) {
                fail('403', name);
                return 'false';
            }
            if (!element.check(value)) {
                fail('405', name + ': ' + value.slice(0, 40));
                return 'false';
            }
            values[element.set] = value;
            dirty = true;
            fail('0');
            return 'true';
        },
        LMSCommit: function (parameter) {
            if (argument(parameter) !== '') {
                return fail('201', 'LMSCommit takes ""') && 'false';
            }
            if (!running('LMSCommit before LMSInitialize')) {
                return 'false';
            }
            post(false);
            fail('0');
            return 'true';
        },
        LMSGetLastError: function () {
            return lastError;
        },
        LMSGetErrorString: function (code) {
            return ERRORS[argument(code)] || '';
        },
        LMSGetDiagnostic: function (code) {
            code = argument(code);
            if (code === '' || code === lastError) {
                return diagnostic || ERRORS[lastError] || '';
            }
            return ERRORS[code] || '';
        }
    };
    window.API = API;

    // The page is left before the SCO finished: send what it set
    window.addEventListener('pagehide', function () {
        if (state !== 'running' && !dirty) {
            return;
        }
        var form = new URLSearchParams();
        form.append('csrf_token', server.csrf_token);
        form.append('payload', JSON.stringify(snapshot(true)));
        if (navigator.sendBeacon) {
            navigator.sendBeacon(server.commit_url, form);
        }
        state = 'finished';
        dirty = false;
    });

    frame.src = frame.getAttribute('data-src');
}());
