/* Check-in page: scan the ticket's QR code with the phone camera through
   the browser's BarcodeDetector API when it exists; the form to type the
   code and the name search work without it. No inline scripts (CSP). */
(function () {
    'use strict';
    document.addEventListener('DOMContentLoaded', function () {
        var select = document.querySelector('select[data-autosubmit]');
        if (select) {
            select.addEventListener('change', function () {
                select.form.submit();
            });
        }
        var form = document.getElementById('token-form');
        var input = document.getElementById('f-token');
        var start = document.getElementById('scan-start');
        var box = document.getElementById('scanner');
        var video = document.getElementById('scanner-video');
        var status = document.getElementById('scanner-status');
        if (!form || !start) {
            return;
        }
        if (!('BarcodeDetector' in window) || !navigator.mediaDevices ||
                !navigator.mediaDevices.getUserMedia) {
            return;  // manual entry and the name search remain
        }
        start.hidden = false;
        var detector, stream, busy = false;
        function stop() {
            if (stream) {
                stream.getTracks().forEach(function (t) { t.stop(); });
                stream = null;
            }
        }
        function scan() {
            if (!stream || busy) {
                return;
            }
            detector.detect(video).then(function (codes) {
                var pattern = /\d{1,12}-[0-9a-f]{32}/;
                for (var i = 0; i < codes.length; i++) {
                    var match = pattern.exec(codes[i].rawValue || '');
                    if (match) {
                        busy = true;
                        input.value = match[0];
                        status.textContent = 'Билет распознан, отмечаем…';
                        stop();
                        form.submit();
                        return;
                    }
                }
                window.requestAnimationFrame(scan);
            }).catch(function () {
                window.setTimeout(scan, 300);
            });
        }
        start.addEventListener('click', function () {
            detector = new window.BarcodeDetector({formats: ['qr_code']});
            navigator.mediaDevices.getUserMedia({
                video: {facingMode: 'environment'}, audio: false
            }).then(function (s) {
                stream = s;
                video.srcObject = s;
                box.hidden = false;
                start.hidden = true;
                status.textContent = 'Наведите камеру на QR-код билета';
                return video.play();
            }).then(scan).catch(function () {
                status.textContent = 'Камера недоступна: введите код билета или найдите участника по фамилии.';
                box.hidden = false;
            });
        });
        window.addEventListener('pagehide', stop);
    });
}());
