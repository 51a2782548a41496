// Spoken guidance from the device (porttid runs espeak-ng), so it works without the person's own
// assistive technology; the browser's speech synthesis is the fallback.
import { language } from './i18n.js';

export async function speak(text) {
  try {
    const res = await fetch('/api/speak', {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ lang: language(), text }),
    });
    if (res.ok) return;
  } catch { /* fall through */ }
  if ('speechSynthesis' in window) {
    const u = new SpeechSynthesisUtterance(text);
    u.lang = language();
    speechSynthesis.cancel();
    speechSynthesis.speak(u);
  }
}

// A short tone: the audible half of a timeout warning.
export function beep() {
  try {
    const ctx = new AudioContext();
    const osc = ctx.createOscillator();
    osc.frequency.value = 880;
    osc.connect(ctx.destination);
    osc.start();
    osc.stop(ctx.currentTime + 0.3);
  } catch { /* no audio device: the visual warning still shows */ }
}
