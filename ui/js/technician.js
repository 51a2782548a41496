// Technician screens: PIN login, diagnostics (no personal data ever reaches this page), self-test,
// dead letters. The session token lives in this page's memory only.
import { api } from './api.js';
import { bindLanguageButtons, setLanguage, t } from './i18n.js';

let token = null;
let diag = null;
const $ = (id) => document.getElementById(id);

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
  list($('dead-letters'), outbox.dead_letters ?? [], (d) => {
    const li = document.createElement('li');
    li.textContent = `${d.transaction_id}: ${d.reason} (${d.attempts})`;
    return li;
  });
  list($('errors'), diag.recent_errors ?? [], (e) => Object.assign(document.createElement('li'), { textContent: `${e.at} ${e.area}: ${e.message}` }));
}

async function refresh() {
  try { diag = await api.diagnostics(token); render(); } catch (e) { if (e.status === 401) { token = null; show('login'); } }
}

function bind() {
  bindLanguageButtons(render);
  $('login-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const err = $('login-error');
    try {
      token = (await api.login($('pin').value)).token;
      $('pin').value = '';
      diag = await api.diagnostics(token);
      err.hidden = true;
      show('dashboard');
      render();
    } catch (ex) {
      err.textContent = t(ex.status === 429 || ex.status === 423 ? 'tech.locked' : 'tech.wrong_pin');
      err.hidden = false;
    }
  });
  $('selftest').addEventListener('click', async () => {
    const out = $('selftest-result');
    out.textContent = t('tech.selftest.running');
    try {
      const r = await api.selfTest(token);
      out.textContent = t(r.passed ? 'tech.selftest.passed' : 'tech.selftest.failed');
    } catch { out.textContent = t('tech.selftest.failed'); }
    refresh();
  });
  $('logout').addEventListener('click', () => { token = null; diag = null; show('login'); });
}

await setLanguage('en');
bind();
show('login');
