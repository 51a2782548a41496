// Which screen shows for a transaction state of porttid (firmware's state names).
const BY_STATE = {
  idle: 'attract',
  awaiting_case: 'case_entry',
  awaiting_document: 'place_document',
  document_presented: 'reading',
  access_key: 'reading',
  awaiting_manual_entry: 'manual_entry',
  chip_read: 'reading',
  chip_verification: 'reading',
  live_capture: 'camera',
  face_comparison: 'verifying',
  morph_check: 'verifying',
  decision: 'verifying',
  actuation: 'result',
  delivery: 'result',
  result: 'result',
  take_document: 'take_document',
  error: 'error',
};

export function screenFor(state) {
  const screen = BY_STATE[state.state] ?? 'attract';
  if (screen !== 'result') return screen;
  if (state.mode === 'service-point' && state.receipt) return 'summary';
  return state.outcome === 'accept' ? 'result_proceed' : 'result_officer';
}

// Reading progress in percent, from the chip steps.
export function readingProgress(state) {
  if (typeof state.progress === 'number') return Math.round(state.progress * 100);
  return { document_presented: 10, access_key: 20, chip_read: 50, chip_verification: 90 }[state.state] ?? 0;
}
