// New documents and new versions (S4, S5): a drop zone (or a file chooser, for the keyboard)
// and a progress bar; the file goes to the server streamed by the browser.
import {h, clear, field} from '../dom.js';
import * as api from '../api.js';
import {t, label, levelName} from '../i18n.js';
import {errorBox, notice, navigate, currentUser} from '../ui.js';
import {levelNames, policy, categoryLabel} from '../policy.js';

export function humanSize(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

// A drop zone with a file input inside; returns {el, file()}. A file over the policy's
// content limit is not taken (the server would answer 413 after the whole upload).
export function dropZone({accept, prompt} = {}) {
  let chosen = null;
  const max = policy().limits.max_upload_bytes;
  const input = h('input', {type: 'file', class: 'file-input', accept});
  const name = h('span', {class: 'file-name'}, t('upload.none_chosen'));
  const zone = h('div', {class: 'drop-zone'}, h('p', {}, prompt || t('upload.drop')),
                 field(t('upload.choose'), input, t('upload.limit', {size: humanSize(max)})), name);
  const choose = (file) => {
    chosen = file && file.size <= max ? file : null;
    clear(name);
    if (file && !chosen) name.append(errorBox({code: 'content_too_large'}));
    else name.append(chosen ? `${chosen.name} · ${humanSize(chosen.size)}` : t('upload.none_chosen'));
  };
  input.addEventListener('change', () => choose(input.files[0]));
  const reset = () => {
    input.value = '';
    choose(null);
  };
  zone.addEventListener('dragover', (ev) => {
    ev.preventDefault();
    zone.classList.add('over');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (ev) => {
    ev.preventDefault();
    zone.classList.remove('over');
    if (!ev.dataTransfer.files.length) return;
    input.value = '';  // the dropped file replaces any chosen one
    choose(ev.dataTransfer.files[0]);
  });
  return {el: zone, file: () => chosen, reset};
}

// Sends `file` to `path` (streamed, see api.upload), showing progress in `out`.
export async function sendFile(path, file, out, options) {
  const bar = h('progress', {max: 100, value: 0, class: 'upload-progress', 'aria-label': t('upload.progress')});
  const text = h('span', {class: 'upload-percent'}, '0%');
  out.append(h('div', {class: 'row'}, bar, text));
  const result = await api.upload(path, file, (loaded, total) => {
    const pct = Math.floor((loaded / total) * 100);
    bar.value = pct;
    clear(text);
    text.append(`${pct}% · ${humanSize(loaded)} / ${humanSize(total)}`);
  }, options);
  bar.value = 100;
  clear(text);
  text.append(`100% · ${humanSize(file.size)}`);
  return result;
}

// Sends `file` as the content of document `id`, showing progress in `out`.
export function sendContent(id, file, out) {
  return sendFile(`/documents/${encodeURIComponent(id)}/content`, file, out);
}

export function newDocumentForm() {
  const me = currentUser();
  const levels = levelNames();
  const allowed = levels.slice(0, levels.indexOf(me.clearance) + 1);
  const title = h('input', {id: 'new-doc-title', maxlength: 512, required: true});
  const level = h('select', {id: 'new-doc-level'}, allowed.map((l) => h('option', {value: l}, levelName(l))));
  const cats = me.categories.map((c) => ({c, box: h('input', {type: 'checkbox', value: c, class: 'new-doc-cat'})}));
  const until = h('input', {id: 'new-doc-until', type: 'date'});
  const description = h('textarea', {id: 'new-doc-description', rows: 2, maxlength: 65536});
  const zone = dropZone();
  const out = h('div', {id: 'new-doc-result', 'aria-live': 'polite'});
  const submit = h('button', {type: 'submit', class: 'primary', id: 'new-doc-submit'}, t('upload.create'));
  const form = h('form', {class: 'card', id: 'new-doc-form', hidden: true},
                 h('h2', {}, t('upload.new_heading')),
                 field(t('upload.title'), title), field(t('docs.level'), level, t('upload.level_hint')),
                 cats.length ? h('fieldset', {}, h('legend', {}, t('docs.categories')),
                                 cats.map(({c, box}) => h('label', {class: 'checkline'}, box, categoryLabel(c)))) : null,
                 field(t('upload.until'), until, t('upload.until_hint')), field(t('docs.description'), description),
                 zone.el, submit, out);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clear(out);
    if (!title.value.trim()) return out.append(errorBox({code: 'title_missing'}));
    submit.disabled = true;
    try {
      const body = {title: title.value.trim(), level: level.value,
                    categories: cats.filter((x) => x.box.checked).map((x) => x.c)};
      if (until.value) body.secret_until = until.value;
      if (description.value.trim()) body.description = description.value.trim();
      const doc = await api.post('/documents', body);
      if (zone.file()) await sendContent(doc.id, zone.file(), out);
      navigate(`documents/${doc.id}`);
    } catch (err) {
      out.append(errorBox(err));
    } finally {
      submit.disabled = false;
    }
  });
  const open = h('button', {type: 'button', id: 'new-doc-open'}, t('upload.new'));
  open.addEventListener('click', () => {
    form.hidden = false;
    open.hidden = true;
    title.focus();
  });
  return [open, form];
}

export function newVersionForm(doc) {
  const zone = dropZone();
  const out = h('div', {id: 'version-result', 'aria-live': 'polite'});
  const submit = h('button', {type: 'submit', class: 'primary', id: 'version-submit'}, t('upload.send'));
  const form = h('form', {class: 'card', id: 'version-form'}, h('h2', {}, t('upload.version_heading')),
                 h('p', {class: 'muted'}, t('upload.version_intro')), zone.el, submit, out);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clear(out);
    if (!zone.file()) return out.append(errorBox({code: 'file_missing'}));
    submit.disabled = true;
    try {
      const result = await sendContent(doc.id, zone.file(), out);
      out.append(notice(t('upload.done', {version: result.version})));
      navigate(`documents/${doc.id}`);
    } catch (err) {
      out.append(errorBox(err));
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}
