// Which screen shows for a transaction state of porttid (firmware stateName()).
const BY_STATE = {
  'idle': 'attract',
  'document presented': 'reading',
  'access key': 'reading',
  'chip read': 'reading',
  'chip verification': 'reading',
  'live capture': 'camera',
  'face comparison': 'verifying',
  'morph check': 'verifying',
  'decision': 'verifying',
  'result delivery': 'result',
  'actuation': 'result',
  'reset': 'take_document',
};

const PROGRESS = { 'document presented': 10, 'access key': 25, 'chip read': 55, 'chip verification': 90 };

export function screenFor(state) {
  const screen = BY_STATE[state.state] ?? 'attract';
  if (screen === 'take_document' && state.mode === 'service-point' && state.transaction_id) return 'summary';
  if (screen !== 'result') return screen;
  if (state.mode === 'service-point') return 'summary';
  return state.outcome === 'accept' ? 'result_proceed' : 'result_officer';
}

// Reading progress in percent, from the chip steps.
export function readingProgress(state) {
  return PROGRESS[state.state] ?? 0;
}

// A short receipt reference for the applicant: the start of the random transaction id.
export function receiptReference(state) {
  return (state.transaction_id ?? '').slice(0, 12).toUpperCase();
}
