// whatsapp-web.js depends on puppeteer, whose install would download a whole
// Chromium. Clout drives the system's Chromium (/usr/bin/chromium) instead,
// so no install, anywhere, may fetch one. scripts/* also export
// PUPPETEER_SKIP_DOWNLOAD=1 for installs they run.
module.exports = { skipDownload: true };
