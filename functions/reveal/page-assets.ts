// The reveal page's only style and script blocks, and the CSP that admits exactly them by hash. The
// blocks are constants, the same for every page and locale (words travel in data- attributes), so
// their hashes are computed once and cannot drift from what is emitted.
import { createHash } from 'node:crypto';

// Logical properties (inline-start/end) so one sheet serves Arabic (RTL) and English. A long code
// wraps at its hyphens first and mid-group only when a group alone is wider than the box.
export const PAGE_STYLE = `
:root{color-scheme:light dark;--bg:#eef1f4;--card:#fff;--ink:#15191e;--muted:#5a6470;--line:#d9dee4;
--box:#f6f8fa;--accent:#0a6c4f;--accent-ink:#fff;--note-bg:#fff4d6;--note-ink:#5c4500;--warn:#b45309;--bad:#b42318}
@media (prefers-color-scheme:dark){:root{--bg:#0f1215;--card:#1a1f24;--ink:#eef1f4;--muted:#a2acb7;--line:#2e363e;
--box:#12161a;--accent:#34b98d;--accent-ink:#04241a;--note-bg:#3a2f12;--note-ink:#f4dc9c;--warn:#f0a64b;--bad:#f2837a}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;min-height:100vh;background:var(--bg);color:var(--ink);padding:20px 14px;
font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans Arabic","Noto Sans",Tahoma,sans-serif}
main{max-width:28rem;margin:0 auto;background:var(--card);border-radius:18px;padding:24px 18px;
box-shadow:0 1px 2px rgba(0,0,0,.06),0 8px 24px rgba(0,0,0,.06)}
h1{font-size:1.375rem;line-height:1.3;margin:0}
p{margin:0}
.sub{color:var(--muted);margin-top:4px}
.notice{background:var(--note-bg);color:var(--note-ink);border-radius:12px;padding:10px 14px;margin:18px 0 20px;font-size:.9375rem}
dl{margin:0}
.item{margin:0 0 18px}
dt{font-size:.875rem;font-weight:600;color:var(--muted);margin:0 0 6px}
dd{margin:0;display:flex;gap:8px;align-items:stretch}
.value{flex:1;min-width:0;display:flex;align-items:center;justify-content:center;text-align:center;
direction:ltr;unicode-bidi:isolate;overflow-wrap:anywhere;user-select:all;-webkit-user-select:all;
font:600 1.25rem/1.35 ui-monospace,SFMono-Regular,Menlo,Consolas,"DejaVu Sans Mono","Liberation Mono",monospace;
letter-spacing:.02em;background:var(--box);border:1px solid var(--line);border-radius:12px;padding:12px 10px;min-height:52px}
.primary dd{flex-direction:column}
.primary .value{font-size:1.375rem;min-height:68px;padding:14px 10px}
button{flex:none;min-width:5.75rem;min-height:52px;padding:0 14px;border:0;border-radius:12px;cursor:pointer;
background:var(--accent);color:var(--accent-ink);font:inherit;font-weight:700;touch-action:manipulation;
-webkit-tap-highlight-color:transparent}
button:focus-visible{outline:3px solid var(--ink);outline-offset:2px}
button.done{background:var(--ink);color:var(--card)}
.show{margin:0 0 20px}
.show button{width:100%;min-height:56px;font-size:1.125rem}
button[aria-disabled=true]{opacity:.75;cursor:progress}
.facts{border-top:1px solid var(--line);padding-top:14px;display:grid;gap:6px;font-size:.9375rem}
.facts div{display:flex;justify-content:space-between;gap:12px}
.facts dt{margin:0;font-weight:400}
.facts dd{font-weight:600;direction:ltr;unicode-bidi:isolate}
.toast{position:fixed;inset-inline:14px;bottom:20px;max-width:26rem;margin:0 auto;padding:12px 16px;border-radius:12px;
background:var(--ink);color:var(--card);text-align:center;font-weight:600;box-shadow:0 6px 20px rgba(0,0,0,.25)}
.toast:empty{display:none}
.state{text-align:center}
.icon{width:64px;height:64px;margin:4px auto 16px;border-radius:50%;display:flex;align-items:center;justify-content:center;
background:var(--box);color:var(--warn)}
.icon.bad{color:var(--bad)}
.icon svg{width:34px;height:34px}
.state h1{margin-bottom:10px}
.state p{color:var(--muted)}
.ref{margin:20px 0;padding:14px;border:1px dashed var(--line);border-radius:12px;background:var(--box)}
.ref span{display:block;font-size:.875rem;color:var(--muted)}
.ref bdi{display:block;margin-top:2px;font:700 1.25rem/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,"DejaVu Sans Mono",monospace;
overflow-wrap:anywhere}
`;

// Plain ES5 plus promises, no framework: runs in any in-app browser WhatsApp opens. The clipboard API needs a
// secure context and can be refused; execCommand still copies in older webviews; failing both, the
// value is selected so the phone's own Copy works.
export const PAGE_SCRIPT = `
(function () {
  var status = document.getElementById('copy-status');
  var timer = 0;
  function reset() {
    var buttons = document.querySelectorAll('button[data-copy]');
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].textContent = buttons[i].getAttribute('data-label');
      buttons[i].classList.remove('done');
    }
    status.textContent = '';
  }
  function show(message, button) {
    reset();
    if (button) {
      button.textContent = message;
      button.classList.add('done');
    }
    status.textContent = message;
    clearTimeout(timer);
    timer = setTimeout(reset, 2500);
  }
  function select(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }
  function fallback(element, button) {
    select(element);
    var copied = false;
    try { copied = document.execCommand('copy'); } catch (e) { copied = false; }
    if (copied) show(status.getAttribute('data-done'), button);
    else show(status.getAttribute('data-selected'), null);
  }
  document.addEventListener('click', function (event) {
    var button = event.target instanceof Element ? event.target.closest('button[data-copy]') : null;
    var element = button && document.getElementById(button.getAttribute('data-copy'));
    if (!element) return;
    var text = element.textContent;
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(function () { show(status.getAttribute('data-done'), button); }, function () { fallback(element, button); });
    } else {
      fallback(element, button);
    }
  });
})();
`;

// The CONFIRM page's only script: one POST per tap. A second tap while the first POST is on its way would
// send a second POST, which finds the code already shown and answers the spent page in its place. The
// form works without it (the button posts on its own); this only guards against the double tap. Back on
// the page from the back/forward cache (pageshow, persisted), the button works again.
export const SHOW_SCRIPT = `
(function () {
  var sent = false;
  function label(button, busy) {
    button.textContent = button.getAttribute(busy ? 'data-busy' : 'data-label');
    if (busy) button.setAttribute('aria-disabled', 'true');
    else button.removeAttribute('aria-disabled');
  }
  document.addEventListener('submit', function (event) {
    if (sent) {
      event.preventDefault();
      return;
    }
    sent = true;
    var button = event.target.querySelector('button[data-busy]');
    if (button) label(button, true);
  });
  window.addEventListener('pageshow', function (event) {
    if (!event.persisted) return;
    sent = false;
    var button = document.querySelector('button[data-busy]');
    if (button) label(button, false);
  });
})();
`;

const sha256 = (block: string) => `'sha256-${createHash('sha256').update(block, 'utf8').digest('base64')}'`;

export const STYLE_HASH = sha256(PAGE_STYLE);
export const SCRIPT_HASH = sha256(PAGE_SCRIPT);
export const SHOW_SCRIPT_HASH = sha256(SHOW_SCRIPT);

/** The only scripts a page may carry, with their hashes: anything else (an interpolated block) throws. */
const SCRIPT_HASHES = new Map([
  [PAGE_SCRIPT, SCRIPT_HASH],
  [SHOW_SCRIPT, SHOW_SCRIPT_HASH],
]);

export interface PolicyOptions {
  /** The page's one script block (PAGE_SCRIPT or SHOW_SCRIPT), admitted by its hash; none when absent. */
  script?: string;
  /** The page has a form posting to its own URL (CONFIRM only). */
  postsToSelf?: boolean;
}

/**
 * Nothing loads from anywhere (default-src 'none'); the one style and the page's one script (if any)
 * run by hash; no framing (clickjacking a button), no <base>. Forms may go nowhere, except on the
 * CONFIRM page, whose button posts to the page's own origin. Pages without buttons admit no script.
 */
export function contentSecurityPolicy(options: PolicyOptions = {}): string {
  const scriptHash = options.script === undefined ? undefined : SCRIPT_HASHES.get(options.script);
  if (options.script !== undefined && scriptHash === undefined) throw new Error('contentSecurityPolicy: not one of the page scripts');
  return [
    "default-src 'none'",
    `style-src ${STYLE_HASH}`,
    ...(scriptHash ? [`script-src ${scriptHash}`] : []),
    "base-uri 'none'",
    `form-action ${options.postsToSelf ? "'self'" : "'none'"}`,
    "frame-ancestors 'none'",
  ].join('; ');
}
