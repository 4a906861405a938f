'use strict';
// Bottender depends on ngrok, whose install script downloads a binary. We never use `bottender dev`,
// so this stub replaces it (see package.json "overrides") and fails clearly if anything calls it.
const off = () => Promise.reject(new Error('ngrok is stubbed in phananh-bot; run your own tunnel'));
module.exports = { connect: off, disconnect: off, kill: off, getUrl: () => null, getApi: () => null };
