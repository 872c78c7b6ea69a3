/* Survey pages: show a conditional question only for the chosen answers
   of its question (the server checks it again), and show the lines of the
   staffing-demand table one by one. Progressive: without scripts every
   question and line is shown. No inline scripts (CSP). */
(function () {
    'use strict';
    document.addEventListener('DOMContentLoaded', function () {
        var form = document.querySelector('form.survey-form');
        if (!form) {
            return;
        }
        var dependents = form.querySelectorAll('[data-condition]');
        function chosen(questionId) {
            var inputs = form.querySelectorAll('input[name="q' + questionId + '"]');
            var values = [];
            Array.prototype.forEach.call(inputs, function (input) {
                if (input.checked) {
                    values.push(input.value);
                }
            });
            return values;
        }
        function update() {
            Array.prototype.forEach.call(dependents, function (block) {
                var id = block.getAttribute('data-condition');
                var inputs = form.querySelectorAll('input[name="q' + id + '"]');
                if (!inputs.length) {
                    return;  // the question is on another page
                }
                var wanted = block.getAttribute('data-condition-options').split(',');
                var show = chosen(id).some(function (v) {
                    return wanted.indexOf(v) !== -1;
                });
                block.hidden = !show;
            });
        }
        form.addEventListener('change', update);
        update();

        Array.prototype.forEach.call(form.querySelectorAll('[data-demand]'),
            function (table) {
                var lines = table.querySelectorAll('.demand-line');
                var button = table.parentNode.querySelector('.demand-add');
                function filled(line) {
                    return Array.prototype.some.call(
                        line.querySelectorAll('input[type="text"], select'),
                        function (input) {
                            return input.value && input.name.slice(-13) !== 'qualification';
                        });
                }
                var last = 0;
                Array.prototype.forEach.call(lines, function (line, i) {
                    if (filled(line)) {
                        last = i + 1;
                    }
                });
                var shown = Math.max(last, 1);
                Array.prototype.forEach.call(lines, function (line, i) {
                    line.hidden = i >= shown;
                });
                if (button && shown < lines.length) {
                    button.hidden = false;
                    button.addEventListener('click', function () {
                        if (shown < lines.length) {
                            lines[shown].hidden = false;
                            var first = lines[shown].querySelector('select, input');
                            shown += 1;
                            if (first) {
                                first.focus();
                            }
                        }
                        if (shown >= lines.length) {
                            button.hidden = true;
                        }
                    });
                }
            });
    });
}());
