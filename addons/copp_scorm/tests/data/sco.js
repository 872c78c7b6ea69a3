/* The test SCO: finds the LMS's API, reports a score of 80 and «passed»,
   keeps suspend data, commits and finishes. */
(function () {
    'use strict';
    function findAPI(win) {
        for (var depth = 0; win && depth < 10; depth += 1) {
            if (win.API) {
                return win.API;
            }
            if (win.parent === win) {
                break;
            }
            win = win.parent;
        }
        return null;
    }
    function show(id, value) {
        var node = document.getElementById(id);
        if (node) {
            node.textContent = value;
        }
    }
    function run() {
        var api = findAPI(window) || (window.opener && findAPI(window.opener));
        if (!api) {
            show('result', 'no API');
            return;
        }
        if (api.LMSInitialize('') !== 'true') {
            show('result', 'LMSInitialize: ' + api.LMSGetLastError());
            return;
        }
        var previous = api.LMSGetValue('cmi.suspend_data');
        show('entry', api.LMSGetValue('cmi.core.entry'));
        show('suspend', previous || '—');
        var visits = previous ? parseInt(previous.split('=')[1], 10) + 1 : 1;
        api.LMSSetValue('cmi.core.lesson_location', 'page-2');
        api.LMSSetValue('cmi.suspend_data', 'visits=' + visits);
        api.LMSSetValue('cmi.core.score.min', '0');
        api.LMSSetValue('cmi.core.score.max', '100');
        api.LMSSetValue('cmi.core.score.raw', '80');
        api.LMSSetValue('cmi.core.lesson_status', 'passed');
        api.LMSSetValue('cmi.core.exit', 'suspend');
        api.LMSSetValue('cmi.core.session_time', '0000:01:30.00');
        var committed = api.LMSCommit('');
        var finished = api.LMSFinish('');
        show('result', 'commit=' + committed + ' finish=' + finished +
            ' visits=' + visits);
    }
    if (document.readyState === 'loading') {
        document.addEventListener('DOMContentLoaded', run);
    } else {
        run();
    }
}());
