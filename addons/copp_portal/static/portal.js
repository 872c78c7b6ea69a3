/* ГИС ЦОПП portals: progressive enhancement only; every page works
   without scripts. No inline scripts: the Content-Security-Policy
   forbids them. */
(function () {
    'use strict';
    var root = document.documentElement;
    root.classList.add('js');

    document.addEventListener('DOMContentLoaded', function () {
        // Collapsible navigation on phones.
        var toggle = document.querySelector('.nav-toggle');
        var nav = document.getElementById('site-nav');
        if (toggle && nav) {
            toggle.hidden = false;
            nav.classList.add('collapsed');
            toggle.addEventListener('click', function () {
                var open = toggle.getAttribute('aria-expanded') === 'true';
                toggle.setAttribute('aria-expanded', open ? 'false' : 'true');
                nav.classList.toggle('collapsed', open);
            });
        }

        // Long filter panels start folded on phones: <details data-collapse-phone open>.
        if (window.matchMedia('(max-width: 48rem)').matches) {
            Array.prototype.forEach.call(
                document.querySelectorAll('details[data-collapse-phone]'),
                function (details) {
                    details.open = false;
                });
        }

        // Move the focus to the error summary of a refused form.
        var summary = document.querySelector('.error-summary');
        if (summary) {
            summary.focus();
        }

        // Ask before irreversible actions: <form data-confirm="…">.
        var forms = document.querySelectorAll('form[data-confirm]');
        Array.prototype.forEach.call(forms, function (form) {
            form.addEventListener('submit', function (event) {
                if (!window.confirm(form.getAttribute('data-confirm'))) {
                    event.preventDefault();
                }
            });
        });

        // Prevent double submission of forms.
        Array.prototype.forEach.call(document.querySelectorAll('form'),
            function (form) {
                form.addEventListener('submit', function (event) {
                    if (event.defaultPrevented) {
                        return;
                    }
                    if (form.dataset.submitted) {
                        event.preventDefault();
                        return;
                    }
                    form.dataset.submitted = '1';
                    window.setTimeout(function () {
                        delete form.dataset.submitted;
                    }, 5000);
                });
            });
    });
}());
