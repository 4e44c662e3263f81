// DOM building without HTML strings: every text goes in through textContent, so data from
// the server can never become markup (no innerHTML anywhere in the console).

// h('button', {class: 'primary', onclick: fn, disabled: true}, 'text', childNode, [more])
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2), value);
    } else if (key === 'class') {
      el.className = value;
    } else if (key === 'dataset') {
      Object.assign(el.dataset, value);
    } else if (key === 'value' || key === 'checked') {
      el[key] = value;
    } else {
      el.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

// A labelled form field: <label for=id>text</label><input id=id ...>
let fieldCounter = 0;
export function field(label, control, hint) {
  const id = control.id || `f${++fieldCounter}`;
  control.id = id;
  return h('div', {class: 'field'}, h('label', {for: id}, label), control,
           hint ? h('small', {class: 'hint'}, hint) : null);
}

export function table(headers, rows, caption) {
  return h('div', {class: 'table-wrap'},
           h('table', {}, caption ? h('caption', {}, caption) : null,
             h('thead', {}, h('tr', {}, headers.map((x) => h('th', {scope: 'col'}, x)))),
             h('tbody', {}, rows)));
}

// Saves bytes the user asked to keep as a file, without a URL that carries the token.
export function saveBlob(blob, filename) {
  const url = URL.createObjectURL(blob);
  const a = h('a', {href: url, download: filename, class: 'hidden'});
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}
