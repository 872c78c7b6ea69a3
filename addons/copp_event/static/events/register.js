/* Registration form: show the legal representative's fields only for a
   participant under 18 on the day of the event (the server checks it
   again). No inline scripts (CSP). */
(function () {
    'use strict';
    document.addEventListener('DOMContentLoaded', function () {
        var form = document.querySelector('form[data-event-date]');
        var block = document.getElementById('representative');
        var birth = document.getElementById('f-birth_date');
        if (!form || !block || !birth) {
            return;
        }
        var eventDate = form.getAttribute('data-event-date');
        var adult = parseInt(form.getAttribute('data-adult-age'), 10) || 18;
        function age(value) {
            var b = new Date(value), d = eventDate ? new Date(eventDate) : new Date();
            if (isNaN(b.getTime())) {
                return null;
            }
            var years = d.getFullYear() - b.getFullYear();
            if (d.getMonth() < b.getMonth() ||
                    (d.getMonth() === b.getMonth() && d.getDate() < b.getDate())) {
                years -= 1;
            }
            return years;
        }
        function update() {
            var years = age(birth.value);
            var hasError = block.querySelector('.field-error');
            block.classList.toggle('is-hidden',
                !hasError && (years === null || years >= adult));
        }
        birth.addEventListener('change', update);
        birth.addEventListener('input', update);
        update();
    });
}());
