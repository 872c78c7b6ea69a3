/* Runs static/scorm/scorm_api.js in node with the few browser objects it
   uses (the player page's nodes, fetch, sendBeacon, crypto) and plays the
   calls read from stdin: [[method, arg…] or ["pagehide"] or ["flush"]].
   Prints {calls: [{result, error, diagnostic}], posts: [...],
   beacons: [...], frame: src, status: text}. */
'use strict';
const fs = require('fs');
const vm = require('vm');

const input = JSON.parse(fs.readFileSync(0, 'utf8'));
const nodes = {
    'scorm-data': {textContent: JSON.stringify(input.server)},
    'scorm-frame': {
        src: '',
        getAttribute: (name) => name === 'data-src' ? '/content/index.html' : null
    },
    'scorm-status': {textContent: '', classList: {toggle: () => undefined}}
};
const posts = [];
const beacons = [];
const handlers = {};
const sandbox = {
    document: {getElementById: (id) => nodes[id] || null},
    navigator: {
        sendBeacon: (url, body) => {
            beacons.push({url, body: Object.fromEntries(body.entries())});
            return true;
        }
    },
    fetch: (url, options) => {
        posts.push({url, headers: options.headers, keepalive: options.keepalive,
            body: JSON.parse(options.body)});
        return Promise.resolve({
            ok: input.answer_status === 200,
            status: input.answer_status,
            json: () => Promise.resolve(input.answer)
        });
    },
    URLSearchParams,
    Uint8Array,
    Promise,
    JSON,
    console
};
sandbox.window = sandbox;
sandbox.window.crypto = require('crypto').webcrypto;
sandbox.window.addEventListener = (name, handler) => {
    handlers[name] = handler;
};
vm.createContext(sandbox);
vm.runInContext(fs.readFileSync(process.argv[2], 'utf8'), sandbox);

async function main() {
    const calls = [];
    const API = sandbox.window.API;
    for (const [method, ...args] of input.calls) {
        if (method === 'pagehide') {
            handlers.pagehide();
            continue;
        }
        const result = API[method].apply(API, args);
        const error = API.LMSGetLastError();
        calls.push({result, error, diagnostic: API.LMSGetDiagnostic('')});
        await new Promise((resolve) => setImmediate(resolve));
    }
    await new Promise((resolve) => setImmediate(resolve));
    process.stdout.write(JSON.stringify({calls, posts, beacons,
        frame: nodes['scorm-frame'].src,
        status: nodes['scorm-status'].textContent}));
}
main();
