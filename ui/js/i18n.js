// Every visible string comes from i18n/<lang>.json; the chosen language is kept for the session only.
export const LANGUAGES = ['en', 'fi', 'sv'];
const RTL = new Set(['ar', 'fa', 'he', 'ur']);
let strings = {};
let current = 'en';

export function t(key, params = {}) {
  const s = strings[key] ?? key;
  return s.replace(/\{(\w+)\}/g, (_, name) => String(params[name] ?? ''));
}

export function language() { return current; }

export async function setLanguage(lang) {
  const res = await fetch(`i18n/${lang}.json`);
  if (!res.ok) throw new Error(`no strings for language ${lang}`);
  strings = await res.json();
  current = lang;
  document.documentElement.lang = lang;
  document.documentElement.dir = RTL.has(lang) ? 'rtl' : 'ltr';
  applyStrings(document);
  for (const b of document.querySelectorAll('[data-lang]'))
    b.setAttribute('aria-pressed', String(b.dataset.lang === lang));
}

export function applyStrings(root) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-label]')) el.setAttribute('aria-label', t(el.dataset.i18nLabel));
  for (const el of root.querySelectorAll('[data-i18n-alt]')) el.setAttribute('alt', t(el.dataset.i18nAlt));
}

export function bindLanguageButtons(onChange) {
  for (const b of document.querySelectorAll('[data-lang]'))
    b.addEventListener('click', async () => { await setLanguage(b.dataset.lang); onChange?.(); });
}
