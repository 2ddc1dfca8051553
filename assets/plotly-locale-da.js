/*
 * Plotly.js Danish locale ("da"), from npm plotly.js-locales 3.7.0 (da.js, MIT licence),
 * wrapped for the browser the way plotly.js builds dist/plotly-locale-*.js.
 * Local changes: month and day names in lower case (Danish orthography), and the
 * Danish decimal comma / thousands dot, so `config={"locale": "da"}` alone gives Danish
 * numbers even where a figure sets no `layout.separators`.
 *
 * Dash loads assets/*.js before its own component bundles, and plotly.js itself is
 * loaded later (lazily, by dcc.Graph). So Plotly is normally undefined here: the locale
 * is queued on window.PlotlyLocales, which plotly.js registers when it starts.
 */
(function () {
    'use strict';
    var locale = {
        moduleType: 'locale',
        name: 'da',
        dictionary: {},
        format: {
            days: ['søndag', 'mandag', 'tirsdag', 'onsdag', 'torsdag', 'fredag', 'lørdag'],
            shortDays: ['søn', 'man', 'tir', 'ons', 'tor', 'fre', 'lør'],
            months: [
                'januar', 'februar', 'marts', 'april', 'maj', 'juni',
                'juli', 'august', 'september', 'oktober', 'november', 'december'
            ],
            shortMonths: [
                'jan', 'feb', 'mar', 'apr', 'maj', 'jun',
                'jul', 'aug', 'sep', 'okt', 'nov', 'dec'
            ],
            date: '%d-%m-%Y',
            decimal: ',',
            thousands: '.'
        }
    };
    if (typeof window.Plotly === 'undefined' || typeof window.Plotly.register !== 'function') {
        window.PlotlyLocales = window.PlotlyLocales || [];
        window.PlotlyLocales.push(locale);
    } else {
        window.Plotly.register(locale);
    }
})();
