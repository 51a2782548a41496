// Which screen shows for a transaction state of porttid (firmware/api_server.cpp uiStateName()).
const BY_STATE = {
  idle: 'attract',
  document_presented: 'reading',
  access_key: 'reading',
  chip_read: 'reading',
  chip_verification: 'reading',
  live_capture: 'camera',
  face_comparison: 'verifying',
  morph_check: 'verifying',
  decision: 'verifying',
  delivery: 'result',
  actuation: 'result',
  take_document: 'take_document',
};

const PROGRESS = { document_presented: 10, access_key: 25, chip_read: 55, chip_verification: 90 };

export function screenFor(state) {
  let screen = BY_STATE[state.state] ?? 'attract';
  // The result stays on screen until the document is taken (the result screens remind of it).
  if (screen === 'take_document' && state.outcome) screen = 'result';
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

// The live preview of the frame a camera state describes (a new URL per frame: never a cached image).
export function cameraPreviewUrl(state) {
  return `/api/camera/preview.jpg?frame=${state.sequence ?? 0}`;
}
