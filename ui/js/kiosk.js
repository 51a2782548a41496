// Traveller (e-gate) and applicant (service point) screens, driven by porttid's state stream.
import { api, subscribe } from './api.js';
import { applyStrings, bindLanguageButtons, setLanguage, t } from './i18n.js';
import { cameraPreviewUrl, readingProgress, receiptReference, screenFor } from './screens.js';
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
    if (name === 'attract') $('officer-called').hidden = true;
    document.body.dataset.screen = name;
    resetIdle();
  }
}

function render() {
  // The attract screen leads to case entry (service point) or "place your document" (e-gate).
  let name = screenFor(state);
  if (name === 'attract' && state.started)
    name = state.mode === 'service-point' && !state.caseEntered ? 'case_entry' : 'place_document';
  // The reader waits for an access key: the MRZ could not be read, so the person types it.
  if (state.state === 'access_key' && state.waitingSince && Date.now() - state.waitingSince > 3000) name = 'manual_entry';
  show(name);
  $('reading-progress').value = readingProgress(state);
  renderCamera(name);
  $('summary-case').textContent = state.caseEntered ?? '';
  $('summary-outcome').textContent = t(state.outcome === 'accept' ? 'summary.outcome.accept' : 'summary.outcome.refer');
  $('summary-receipt').textContent = receiptReference(state);
}

// The camera screen: the live preview (porttid serves it only during the capture), the face box over
// it and the most important guidance, spoken when it changes.
let spokenGuide = { code: null, at: 0 };
function renderCamera(name) {
  const img = $('preview');
  const box = $('face-box');
  const guide = (state.guidance ?? [])[0];
  $('guidance').textContent = guide ? t(`guide.${guide}`) : t('camera.body');
  if (name !== 'camera') {
    img.removeAttribute('src');  // no face image stays on the page after the capture
    img.hidden = true;
    box.hidden = true;
    spokenGuide = { code: null, at: 0 };
    return;
  }
  if (state.state === 'live_capture') img.src = cameraPreviewUrl(state);
  const b = state.face_box;
  box.hidden = !b;
  if (b) {
    Object.assign(box.style, { left: `${b.x * 100}%`, top: `${b.y * 100}%`, width: `${b.width * 100}%`, height: `${b.height * 100}%` });
    box.classList.toggle('ok', !guide);
  }
  if (guide && guide !== spokenGuide.code && Date.now() - spokenGuide.at > 3000) {
    spokenGuide = { code: guide, at: Date.now() };
    speak(t(`guide.${guide}`));
  }
}

// Kiosk events beside the state: porttid confirms a call-out, or a technician cleared it.
let lastEvent = 0;  // the feed's sequence of the last event handled (polling repeats the latest)
function onEvent(next) {
  if (!next.event) return;
  if (next.sequence !== undefined) {
    if (next.sequence <= lastEvent) return;
    lastEvent = next.sequence;
  }
  if (next.event === 'officer_called') {
    showOfficerBanner('officer.called');
  } else if (next.event === 'officer_call_cleared') {
    $('officer-called').hidden = true;
  }
}

function showOfficerBanner(key) {
  const banner = $('officer-called');
  banner.dataset.i18n = key;
  banner.textContent = t(key);
  banner.hidden = false;
  speak(t(key));
}

function onState(next) {
  onEvent(next);
  const idle = next.state === 'idle';
  const waitingSince = next.state === state.state ? state.waitingSince : Date.now();
  state = { ...next, started: state.started && idle, caseEntered: state.caseEntered, waitingSince };
  if (idle && next.previous === 'take_document') state = { state: 'idle', mode: next.mode };  // next person
  render();
  if (next.state === 'access_key') setTimeout(render, 3100);  // then ask for the MRZ by hand
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
    speak(currentText());
  });
  $('case-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const input = $('case-number');
    const valid = input.checkValidity();
    $('case-error').hidden = valid;
    if (!valid) return;
    try {
      await api.caseNumber(input.value.trim());
      state = { ...state, caseEntered: input.value.trim() };
      render();
    } catch {
      $('case-error').hidden = false;
    }
  });
  $('manual-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    await api.mrz($('mrz-text').value).catch(() => {});
  });
  $('speak').addEventListener('click', () => speak(currentText()));
  // The call-out is confirmed by porttid's state stream (onEvent); only a failure is shown here.
  $('officer').addEventListener('click', () => {
    api.callOfficer().catch(() => showOfficerBanner('officer.failed'));
  });
  $('more-time').addEventListener('click', resetIdle);
  document.addEventListener('pointerdown', () => { if ($('timeout').hidden) resetIdle(); });
}

// A preview that is not there (between frames, after the capture) shows the dark frame, not a broken image.
$('preview').addEventListener('error', () => { $('preview').hidden = true; });
$('preview').addEventListener('load', () => { $('preview').hidden = false; });
await setLanguage('en');
applyStrings(document);
bind();
// ?replay: the browser tests render recorded porttid states on every screen in every language.
if (new URLSearchParams(location.search).has('replay')) {
  window.portti = {
    replay: (recorded, extra = {}) => { state = { ...recorded, ...extra }; render(); lastEvent = 0; onEvent(state); },
    warn,
    setLanguage,
  };
} else {
  subscribe(onState);
}
render();
