// The composition entry every caller imports; the capabilities themselves are in services/.
export * from './services/index.js';
