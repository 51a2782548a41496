// porttid's local HTTP API (firmware/api_server.cpp): the one place that knows its paths.
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
  start: () => call('POST', '/api/transaction/start', {}),
  cancel: () => call('POST', '/api/transaction/cancel', {}),
  caseNumber: (value) => call('POST', '/api/case', { case: value }),
  mrz: (value) => call('POST', '/api/mrz', { mrz: value }),
  // The technician's PIN buys a session token; the page keeps the token in memory only.
  login: (pin) => call('POST', '/api/tech/login', { pin }),
  diagnostics: (token) => call('GET', '/api/diagnostics', undefined, token),
  selfTest: (token) => call('POST', '/api/diagnostics/self-test', {}, token),
  deadLetters: (token) => call('GET', '/api/outbox/dead-letters', undefined, token),
  retryDeadLetter: (token, id) => call('POST', `/api/outbox/dead-letters/${encodeURIComponent(id)}/retry`, {}, token),
  // Any screen: a call-out; porttid confirms it on the state stream (event "officer_called").
  callOfficer: () => call('POST', '/api/officer', {}),
  officerCalls: (token) => call('GET', '/api/officer/calls', undefined, token),
  clearOfficerCall: (token, id) => call('POST', `/api/officer/calls/${encodeURIComponent(id)}/clear`, {}, token),
};

// Live state: server-sent events from /api/events, with polling while the stream is down.
export function subscribe(onState) {
  let poller = null;
  const poll = () => api.state().then(onState).catch(() => {});
  const source = new EventSource('/api/events');
  source.onmessage = (e) => { clearInterval(poller); poller = null; onState(JSON.parse(e.data)); };
  source.onerror = () => { if (!poller) poller = setInterval(poll, 500); };
  poll();
  return () => { source.close(); clearInterval(poller); };
}
