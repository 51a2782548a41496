// Technician screens: PIN login, diagnostics (no personal data ever reaches this page), self-test,
// dead letters. The session token lives in this page's memory only.
import { api } from './api.js';
import { bindLanguageButtons, setLanguage, t } from './i18n.js';

let token = null;
let diag = null;
let deadLetters = [];
let officerCalls = [];
const $ = (id) => document.getElementById(id);

// Status lines (self-test, retry, clear) keep their key, so a language switch translates them too.
const said = new Map();
function say(id, key, params = {}) {
  said.set(id, [key, params]);
  $(id).textContent = t(key, params);
}

function show(name) {
  for (const s of document.querySelectorAll('[data-screen]')) s.classList.toggle('active', s.dataset.screen === name);
  document.body.dataset.screen = name;
}

function fill(dl, rows) {
  dl.replaceChildren(...rows.flatMap(([k, v]) => {
    const dt = document.createElement('dt'); dt.textContent = k;
    const dd = document.createElement('dd'); dd.textContent = v;
    return [dt, dd];
  }));
}

function list(ul, items, render) {
  if (!items.length) { const li = document.createElement('li'); li.textContent = t('tech.none'); ul.replaceChildren(li); return; }
  ul.replaceChildren(...items.map(render));
}

function render() {
  for (const [id, [key, params]] of said) $(id).textContent = t(key, params);
  if (!diag) return;
  const body = $('devices').tBodies[0];
  body.replaceChildren(...(diag.devices ?? []).map((d) => {
    const tr = document.createElement('tr');
    for (const v of [`${d.kind} (${d.spec})`, d.present ? d.self_test : 'absent', d.model ?? '', d.last_error ?? ''])
      tr.appendChild(Object.assign(document.createElement('td'), { textContent: v }));
    return tr;
  }));
  const trust = diag.trust ?? {};
  fill($('trust'), [[t('tech.csca_count'), trust.csca_count ?? '?'],
    [t('tech.crl_next_update'), (trust.crl_next_update ?? []).join(', ') || t('tech.none')],
    [t('tech.expiring'), String((trust.expiring_within_90_days ?? []).length)]]);
  const outbox = diag.outbox ?? {};
  fill($('outbox'), [[t('tech.depth'), outbox.depth ?? '?']]);
  // Dead letters and call-outs come from their own endpoints: ids, times, statuses and codes only.
  list($('dead-letters'), deadLetters, (d) => item(
    t('tech.dead_letter', { id: shortId(d.id), status: d.http_status, code: d.reason_code, at: d.refused_at }),
    t('tech.retry'), t('tech.retry_label', { id: shortId(d.id) }), () => retry(d.id)));
  list($('officer-calls'), officerCalls, (c) => item(
    t('tech.officer_call', { at: c.at, screen: c.screen }),
    t('tech.clear_call'), t('tech.clear_call_label', { at: c.at }), () => clearCall(c.id)));
  list($('errors'), diag.recent_errors ?? [], (e) => Object.assign(document.createElement('li'), { textContent: `${e.at} ${e.area}: ${e.message}` }));
}

const shortId = (id) => id.slice(0, 12);

// A list row: its text and one action button with a label that names the row.
function item(text, action, label, onClick) {
  const li = document.createElement('li');
  const span = document.createElement('span');
  span.textContent = text;
  const button = Object.assign(document.createElement('button'), { type: 'button', textContent: action });
  button.setAttribute('aria-label', label);
  button.addEventListener('click', onClick);
  li.append(span, button);
  return li;
}

async function load() {
  [diag, deadLetters, officerCalls] = await Promise.all([
    api.diagnostics(token),
    api.deadLetters(token).then((r) => r.dead_letters ?? []),
    api.officerCalls(token).then((r) => r.calls ?? []),
  ]);
}

async function refresh() {
  try { await load(); render(); } catch (e) { if (e.status === 401) { token = null; show('login'); } }
}

async function retry(id) {
  try {
    await api.retryDeadLetter(token, id);
    say('dead-letter-result', 'tech.retried', { id: shortId(id) });
  } catch { say('dead-letter-result', 'tech.retry_failed', { id: shortId(id) }); }
  await refresh();
}

async function clearCall(id) {
  try { await api.clearOfficerCall(token, id); say('officer-call-result', 'tech.cleared'); } catch { /* gone already */ }
  await refresh();
}

function bind() {
  bindLanguageButtons(render);
  $('login-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const err = $('login-error');
    try {
      token = (await api.login($('pin').value)).token;
      $('pin').value = '';
      await load();
      err.hidden = true;
      show('dashboard');
      render();
    } catch (ex) {
      err.textContent = t(ex.status === 429 || ex.status === 423 ? 'tech.locked' : 'tech.wrong_pin');
      err.hidden = false;
    }
  });
  $('selftest').addEventListener('click', async () => {
    say('selftest-result', 'tech.selftest.running');
    try {
      const r = await api.selfTest(token);
      // The answer has a verdict per part (firmware/src/diagnostics.cpp): passed when none failed.
      const verdicts = [r.test_chip?.status, r.test_result?.status, r.camera?.self_test, r.gate?.self_test, r.mrz_reader?.self_test];
      const passed = r.test_chip?.status === 'passed' && !verdicts.includes('failed');
      say('selftest-result', passed ? 'tech.selftest.passed' : 'tech.selftest.failed');
    } catch { say('selftest-result', 'tech.selftest.failed'); }
    refresh();
  });
  $('logout').addEventListener('click', () => {
    token = null; diag = null; for (const id of said.keys()) $(id).textContent = ''; said.clear(); show('login');
  });
  // New dead letters and call-outs appear without a reload.
  setInterval(() => { if (token) refresh(); }, 5000);
}

await setLanguage('en');
bind();
show('login');
