/* ГИС ЦОПП: the name of the system in the browser tab and the header,
 * and the few words sao 8.0 writes without gettext (so ru.json cannot
 * translate them): the title of the preferences dialog, the labels of the
 * calendar's arrows, the units of numbers and file sizes, the record
 * counter of a tab. */
(function() {
    'use strict';
    Sao.config.title = 'ГИС ЦОПП';

    const _ = (text) => Sao.i18n.gettext(text);
    const russian = () => (Sao.i18n.getlang() || '').startsWith('ru');

    // Dialog titles written as plain strings ('Preferences'): through
    // gettext, so that ru.po translates them (other titles stay as they are).
    const dialog_init = Sao.Dialog.prototype.init;
    Sao.Dialog.prototype.init = function(title, ...args) {
        return dialog_init.call(this, title ? _(title) : title, ...args);
    };

    // FullCalendar labels its arrow buttons with their English names.
    const parse_calendar =
        Sao.View.CalendarXMLViewParser.prototype._parse_calendar;
    Sao.View.CalendarXMLViewParser.prototype._parse_calendar = function() {
        const result = parse_calendar.apply(this, arguments);
        for (const [name, label] of [
                ['prev', _('Previous')], ['next', _('Next')]]) {
            this.view.el.find(`.fc-${name}-button`)
                .attr('aria-label', label).attr('title', label);
        }
        return result;
    };

    // The filter form of a report (its context model): sao searches again
    // only on Enter; a date picked or a field cleared with × left the rows
    // of the old filter. Search again whenever a value of the form changes.
    const screen_init = Sao.Screen.prototype.init;
    Sao.Screen.prototype.init = function() {
        const result = screen_init.apply(this, arguments);
        if (this.context_screen) {
            this.context_screen_prm.then(() => {
                let timer = null;
                this.context_screen.windows.push({
                    record_modified: () => {
                        window.clearTimeout(timer);
                        timer = window.setTimeout(() => {
                            this.search_filter(
                                this.screen_container.get_text());
                        }, 300);
                    },
                });
            });
        }
        return result;
    };

    // Rows of a chart whose x is empty (a student without a funding): a
    // label «Не указано» rather than an empty one, on which billboard's
    // legend of a pie fails («reading 'width'») and draws nothing.
    const EMPTY_X = 'Не указано';
    const update_data = Sao.View.Graph.Chart.prototype.update_data;
    Sao.View.Graph.Chart.prototype.update_data = function(group) {
        return update_data.call(this, group).then(data => {
            const labels = data.columns[0];
            for (let i = 1; i < labels.length; i++) {
                const key = labels[i];
                if ((key === '') || (key === null) || (key === undefined)) {
                    labels[i] = EMPTY_X;
                    this.ids[EMPTY_X] = (this.ids[EMPTY_X] || []).concat(
                        this.ids[key] || []);
                }
            }
            return data;
        });
    };

    // Horizontal bar charts (one bar per college, specialty, answer): as
    // tall as their bars need, labels on one line, long ones shortened
    // (the full text in the tooltip). sao draws them 320 px high whatever
    // their number, so the labels of a dozen specialties overlapped.
    const LABEL_MAX = 40;
    const hbar_config = Sao.View.Graph.HorizontalBar.prototype._bb_config;
    Sao.View.Graph.HorizontalBar.prototype._bb_config = function(data) {
        const config = hbar_config.call(this, data);
        const bars = Math.max(data.columns[0].length - 1, 0);
        const series = Math.max(data.columns.length - 1, 1);
        config.size = {height: Math.max(320, 80 + bars * (10 + 12 * series))};
        if (config.axis && config.axis.x) {
            config.axis.x.tick = Object.assign({}, config.axis.x.tick, {
                multiline: false,
                format: (index, category) => {
                    const text = String(category === undefined ?
                        index : category);
                    return text.length > LABEL_MAX ?
                        text.slice(0, LABEL_MAX - 1) + '…' : text;
                },
            });
            config.tooltip = Object.assign({}, config.tooltip, {
                format: Object.assign({}, (config.tooltip || {}).format, {
                    title: (index) => String(data.columns[0][index + 1]),
                }),
            });
        }
        return config;
    };

    // Vertical bar charts with many bars (the groups of the region): the
    // labels slanted and shortened instead of written over each other.
    const VBAR_MANY = 16;
    const vbar_config = Sao.View.Graph.VerticalBar.prototype._bb_config;
    Sao.View.Graph.VerticalBar.prototype._bb_config = function(data) {
        const config = vbar_config.call(this, data);
        const bars = Math.max(data.columns[0].length - 1, 0);
        if ((bars > VBAR_MANY) && config.axis && config.axis.x &&
                (config.axis.x.type == 'category')) {
            config.axis.x.tick = Object.assign({}, config.axis.x.tick, {
                rotate: -60,
                multiline: false,
                culling: false,
                format: (index, category) => {
                    const text = String(category === undefined ?
                        index : category);
                    return text.length > 20 ? text.slice(0, 19) + '…' : text;
                },
            });
            config.size = {height: 420};
        }
        return config;
    };

    // Numbers and sizes: «1,54 тыс.», «12,5 кБ» instead of «1,54k», «12,5kB».
    const humanize = Sao.common.humanize;
    const NUMBER_UNITS = ['', '\u00a0тыс.', '\u00a0млн', '\u00a0млрд',
        '\u00a0трлн'];
    const BYTE_UNITS = ['\u00a0Б', '\u00a0кБ', '\u00a0МБ', '\u00a0ГБ',
        '\u00a0ТБ'];
    Sao.common.humanize = function(size, suffix) {
        if (!russian() || (suffix && (suffix != 'B')) || !(
                    Math.abs(size) >= 1 || size === 0)) {
            return humanize(size, suffix);
        }
        const units = suffix ? BYTE_UNITS : NUMBER_UNITS;
        let i = 0;
        while ((Math.abs(size) > 1000) && (i + 1 < units.length)) {
            size /= 1000;
            i++;
        }
        return size.toLocaleString(Sao.i18n.BC47(Sao.i18n.getlang()), {
            'minimumFractionDigits': 0,
            'maximumFractionDigits': 2,
        }) + units[i];
    };

    // The record counter: «3 из 20», «– из 1 540» (the records loaded in
    // the tooltip) rather than sao's «3/20», «_@1 000/1,54k».
    const record_message = Sao.Tab.Form.prototype.record_message;
    Sao.Tab.Form.prototype.record_message = function(
            position, size, max_size, record_id) {
        const result = record_message.apply(this, arguments);
        if (russian()) {
            let name = position ? '' + position : '–';
            const selected = this.screen.selected_records.length;
            if (position && (selected > 1)) {
                name += ` (выбрано ${selected})`;
            }
            const more = (size < max_size) &&
                (max_size >= this.screen.count_limit) ? '+' : '';
            const count = (n) => n.toLocaleString('ru');
            const msg = `${name} из ${count(Math.max(size, max_size))}${more}`;
            let title = msg;
            if (size < max_size) {
                title += ` (загружено ${count(size)})`;
            }
            this.status_label.text(msg).attr('title', title);
        }
        return result;
    };

    // The same counter on the lists inside a form (One2Many, Many2Many)
    // and in a record's popup window: «3 из 32», «– из 32», not «_ / 32».
    const counter = function(position, size) {
        let name = position ? '' + position : '–';
        const selected = this.screen.selected_records.length;
        if (position && (selected > 1)) {
            name += ` (выбрано ${selected})`;
        }
        return `${name} из ${size.toLocaleString('ru')}`;
    };
    for (const [Widget, label] of [
            [Sao.View.Form.One2Many, 'badge'],
            [Sao.View.Form.Many2Many, 'badge'],
            [Sao.Window.Form, 'label']]) {
        const original = Widget.prototype.record_message;
        Widget.prototype.record_message = function(position, size) {
            const result = original.apply(this, arguments);
            if (russian() && this[label]) {
                const msg = counter.call(this, position, size);
                this[label].text(msg).attr('title', msg);
            }
            return result;
        };
    }
}());
