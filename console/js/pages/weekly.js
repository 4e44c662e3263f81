// Weekly summary (H4): each member submits theirs; supervisors see the week's report.
import {h, clear, field, table} from '../dom.js';
import * as api from '../api.js';
import {t, label, formatTime} from '../i18n.js';
import {errorBox, notice, pageTitle, setMarkingForLevels, action} from '../ui.js';
import {policy, departmentLabel} from '../policy.js';


// ISO week ("2026-W49") of a time, in the centre's local time.
export function isoWeek(date = new Date()) {
  const offsetMinutes = policy().organisation.utc_offset_minutes;  // the policy's centre.utc_offset
  const local = new Date(date.getTime() + offsetMinutes * 60 * 1000);
  const d = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate()));
  const day = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - day);
  const yearStart = new Date(Date.UTC(d.getUTCFullYear(), 0, 1));
  const week = Math.ceil(((d - yearStart) / 86400000 + 1) / 7);
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

function weekInput(id) {
  return h('input', {id, value: isoWeek(), pattern: '\\d{4}-W\\d{2}', maxlength: 8});
}

export async function renderWeekly(main) {
  const week = weekInput('weekly-week');
  const summary = h('textarea', {id: 'weekly-summary', rows: 8, maxlength: 20000});
  const state = h('div', {id: 'weekly-state', 'aria-live': 'polite'});
  const out = h('div', {'aria-live': 'polite'});
  const load = async () => {
    clear(state);
    summary.value = '';
    try {
      const s = await api.get('/weekly-summaries', {week: week.value.trim()});
      summary.value = s.summary;
      state.append(notice(t('weekly.submitted', {time: formatTime(s.submitted_at), version: s.version})),
                   s.late ? notice(t('weekly.late')) : null);
    } catch (err) {
      if (err.status === 404) state.append(notice(t('weekly.not_yet')));
      else state.append(errorBox(err));
    }
  };
  week.addEventListener('change', load);
  const submit = action(h('button', {type: 'button', class: 'primary', id: 'weekly-submit'}, t('weekly.submit')), out,
                        async () => {
                          if (!summary.value.trim()) throw {code: 'summary_missing'};
                          await api.post('/weekly-summaries', {week: week.value.trim(), summary: summary.value});
                          await load();
                          out.append(notice(t('weekly.saved')));
                        });
  const due = policy().reporting;
  main.append(pageTitle(t('weekly.heading')),
              h('p', {class: 'muted'}, t('weekly.intro', {day: t(`weekday.${due.weekly_due_weekday}`), time: due.weekly_due_time})),
              field(t('weekly.week'), week, t('weekly.week_hint')), state,
              field(t('weekly.summary'), summary), submit, out);
  await load();
}

export async function renderReports(main) {
  const week = weekInput('report-week');
  const body = h('div', {id: 'report-body', 'aria-live': 'polite'});
  const load = async () => {
    clear(body);
    try {
      const r = await api.get('/weekly-reports', {week: week.value.trim()});
      setMarkingForLevels(main, r.items.length ? ['internal'] : []);
      body.append(h('p', {class: 'muted'}, t('reports.due', {time: formatTime(r.due_at)})),
                  table([t('reports.member'), t('me.department'), t('reports.contacts'), t('reports.by_type'),
                         t('reports.summary')],
                        r.items.map((m) => h('tr', {},
                                              h('td', {}, `${m.display_name} (${m.username})`),
                                              h('td', {}, departmentLabel(m.department)),
                                              h('td', {}, String(m.contacts)),
                                              h('td', {}, Object.entries(m.by_type).map(([k, v]) => `${label('contact_type', k)} ${v}`).join('，')),
                                              h('td', {}, m.summary_submitted_at
                                                  ? `${formatTime(m.summary_submitted_at)}${m.late ? ` · ${t('weekly.late_short')}` : ''}`
                                                  : (m.missing ? t('reports.missing') : t('reports.not_due')))))));
    } catch (err) {
      body.append(errorBox(err));
    }
  };
  week.addEventListener('change', load);
  main.append(pageTitle(t('reports.heading')), field(t('weekly.week'), week, t('weekly.week_hint')), body);
  await load();
}
