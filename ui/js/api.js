// porttid's local HTTP API: the one place that knows its paths.
async function call(method, path, body, token) {
  const headers = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let data = {};
  try { data = text ? JSON.parse(text) : {}; } catch { data = { error: text }; }
  if (!res.ok) throw Object.assign(new Error(data.error || res.statusText), { status: res.status, data });
  return data;
}

export const api = {
  state: () => call('GET', '/api/state'),
  start: (caseRef) => call('POST', '/api/transaction/start', caseRef ? { case_ref: caseRef } : {}),
  cancel: () => call('POST', '/api/transaction/cancel', {}),
  accessKey: (key) => call('POST', '/api/transaction/access-key', key),
  moreTime: () => call('POST', '/api/transaction/more-time', {}),
  callOfficer: () => call('POST', '/api/officer', {}),
  login: (pin) => call('POST', '/api/tech/login', { pin }),
  diagnostics: (token) => call('GET', '/api/diagnostics', undefined, token),
  selfTest: (token) => call('POST', '/api/diagnostics/self-test', {}, token),
  retryDeadLetter: (token, id) => call('POST', `/api/outbox/dead/${encodeURIComponent(id)}/retry`, {}, token),
  previewUrl: (seq) => `/api/camera/preview.jpg?seq=${seq}`,
};

// Live state: server-sent events, with polling while the stream is down.
export function subscribe(onState) {
  let poller = null;
  const poll = () => api.state().then(onState).catch(() => {});
  const source = new EventSource('/api/events');
  source.onmessage = (e) => { clearInterval(poller); poller = null; onState(JSON.parse(e.data)); };
  source.onerror = () => { if (!poller) poller = setInterval(poll, 500); };
  poll();
  return () => { source.close(); clearInterval(poller); };
}
