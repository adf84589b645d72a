'use strict';
// Verdaccio loads plugins with require() and calls a CommonJS export as a factory
// (config, options) => plugin, synchronously. slopguard is ESM, so the plugin object is made
// here and the ESM filter is imported on first use (filter_metadata is async anyway).
const { pathToFileURL } = require('node:url');
const { join } = require('node:path');

const FILTER = pathToFileURL(join(__dirname, '..', '..', 'dist', 'src', 'verdaccio', 'filter.js')).href;

module.exports = function slopguardFilter(config, options) {
  const filter = import(FILTER).then((m) => new m.SlopguardFilter(config, options));
  // An invalid config rejects here: log it at once rather than on the first request.
  filter.catch((e) => options && options.logger && options.logger.error({ err: String(e && e.message) }, 'slopguard: @{err}'));
  return {
    async filter_metadata(manifest) {
      let f;
      try {
        f = await filter;
      } catch {
        // No usable filter (bad config): refuse everything rather than serve unguarded.
        return { ...manifest, versions: {}, 'dist-tags': {} };
      }
      return f.filter_metadata(manifest);
    },
  };
};
