/* ГИС ЦОПП: the name of the system in the browser tab and the header. */
(function() {
    'use strict';
    Sao.config.title = 'ГИС ЦОПП';
}());
