// Traveller (e-gate) and applicant (service point) screens, driven by porttid's state stream.
import { api, subscribe } from './api.js';
import { applyStrings, bindLanguageButtons, setLanguage, t } from './i18n.js';
import { readingProgress, screenFor } from './screens.js';
import { beep, speak } from './speech.js';

const WARN_SECONDS = 20;      // warning shown this long before an inactivity reset
const IDLE_SECONDS = 60;      // no touch and no progress for this long: back to start
let state = { state: 'idle' };
let screen = null;
let idleTimer = null;
let countdown = null;

const $ = (id) => document.getElementById(id);

function show(name) {
  for (const s of document.querySelectorAll('[data-screen]')) s.classList.toggle('active', s.dataset.screen === name);
  if (name !== screen) {
    screen = name;
    document.body.dataset.screen = name;
    resetIdle();
  }
}

function render() {
  // The attract screen leads to case entry (service point) or "place your document" (e-gate).
  let name = screenFor(state);
  if (name === 'attract' && state.started)
    name = state.mode === 'service-point' && !state.case_ref ? 'case_entry' : 'place_document';
  show(name);
  $('reading-progress').value = readingProgress(state);
  const guide = (state.guidance ?? [])[0];
  $('guidance').textContent = guide ? t(`guide.${guide}`) : t('camera.body');
  const box = state.face_box;
  $('face-box').hidden = !box;
  if (box) Object.assign($('face-box').style, {
    left: `${box.x * 100}%`, top: `${box.y * 100}%`, width: `${box.w * 100}%`, height: `${box.h * 100}%`,
  });
  if (name === 'camera') $('preview').src = api.previewUrl(state.seq ?? 0);
  $('summary-case').textContent = state.case_ref ?? '';
  $('summary-receipt').textContent = state.receipt ?? '';
}

function onState(next) {
  const started = state.started && next.state === 'idle';
  state = { ...next, started };
  render();
}

// No silent timeouts: a visible and audible warning first, with a button for more time.
function resetIdle() {
  clearTimeout(idleTimer);
  clearInterval(countdown);
  $('timeout').hidden = true;
  if (screen === 'attract') return;
  idleTimer = setTimeout(warn, (IDLE_SECONDS - WARN_SECONDS) * 1000);
}

function warn() {
  let left = WARN_SECONDS;
  const tick = () => { $('timeout-body').textContent = t('timeout.body', { seconds: left }); };
  tick();
  $('timeout').hidden = false;
  $('more-time').focus();
  beep();
  speak(`${t('timeout.title')} ${$('timeout-body').textContent}`);
  countdown = setInterval(() => {
    left -= 1;
    tick();
    if (left <= 0) {
      clearInterval(countdown);
      $('timeout').hidden = true;
      state = { state: 'idle' };
      api.cancel().catch(() => {});
      render();
    }
  }, 1000);
}

function currentText() {
  const section = document.querySelector('section.active');
  return section ? [...section.querySelectorAll('h1, p')].map((e) => e.textContent).join('. ') : '';
}

function bind() {
  bindLanguageButtons(() => { render(); if (screen !== 'attract') speak(currentText()); });
  $('start').addEventListener('click', async () => {
    state = { ...state, started: true };
    render();
    if (state.mode !== 'service-point') await api.start().catch(() => {});
    speak(currentText());
  });
  $('case-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const input = $('case-number');
    const valid = input.checkValidity();
    $('case-error').hidden = valid;
    if (!valid) return;
    state = { ...state, case_ref: input.value.trim() };
    render();
    await api.start(input.value.trim()).catch(() => {});
  });
  $('manual-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    await api.accessKey({ mrz: $('mrz-text').value }).catch(() => {});
  });
  $('speak').addEventListener('click', () => speak(currentText()));
  $('officer').addEventListener('click', async () => {
    $('officer-called').hidden = false;
    speak(t('officer.called'));
    await api.callOfficer().catch(() => {});
  });
  $('more-time').addEventListener('click', () => { resetIdle(); api.moreTime().catch(() => {}); });
  document.addEventListener('pointerdown', () => { if ($('timeout').hidden) resetIdle(); });
}

await setLanguage('en');
applyStrings(document);
bind();
subscribe(onState);
render();
