// Every string the console shows comes from one catalogue per language (console/i18n/).
// Simplified Chinese is the default; the choice lives in memory only, like the session.
import zh from '/i18n/zh-CN.js';
import en from '/i18n/en.js';

const catalogues = {'zh-CN': zh, en};
let lang = 'zh-CN';
const listeners = [];

export function t(key, vars = {}) {
  const text = catalogues[lang][key] ?? catalogues['zh-CN'][key] ?? key;
  return text.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m));
}

export function has(key) {
  return key in catalogues[lang];
}

export function language() {
  return lang;
}

export function languages() {
  return Object.keys(catalogues);
}

export function setLanguage(next) {
  if (!catalogues[next] || next === lang) return;
  lang = next;
  document.documentElement.lang = next;
  for (const fn of listeners) fn();
}

export function onLanguageChange(fn) {
  listeners.push(fn);
}

// Level names as the seeds say them (秘密/机密/绝密) and dates in the reader's language.
export function levelName(level) {
  return t(`level.${level}`);
}

export function formatTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(lang === 'en' ? 'en-GB' : 'zh-CN', {hour12: false});
}

// A name from the catalogue (`prefix.value`), else `fallback` (the policy's own display name
// of a department, category, role or shift a local policy adds), else the value itself.
export function label(prefix, value, fallback) {
  const key = `${prefix}.${value}`;
  return key in catalogues[lang] ? catalogues[lang][key] : String(fallback || value);
}
