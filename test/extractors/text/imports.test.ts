import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ExtractResult } from '../../../src/core/types.js';
import { findJsImports, findPythonImports, npmPackageOfSpecifier } from '../../../src/extractors/text/imports.js';
import { resolvePythonImport } from '../../../src/extractors/text/python-imports.js';

const names = (r: ExtractResult) => r.refs.map((x) => x.name);
const js = (code: string) => names(findJsImports(code, { file: 'a.ts' }));
const py = (code: string) => names(findPythonImports(code, { file: 'a.py' }));

describe('JS/TS imports', () => {
  const CASES: Array<[string, string, string[]]> = [
    ['default import', `import React from 'react';`, ['react']],
    ['named, double quotes', `import { useState, useEffect } from "react"`, ['react']],
    ['side-effect import', `import 'dotenv/config';`, ['dotenv']],
    ['namespace import', `import * as z from 'zod'`, ['zod']],
    ['type-only import', `import type { Request } from 'express';`, ['express']],
    ['multi-line import', `import {\n  a,\n  b,\n} from '@scope/pkg';`, ['@scope/pkg']],
    ['export from', `export { x } from 'lodash-es';\nexport * from "rxjs/operators";`, ['lodash-es', 'rxjs']],
    ['require', `const express = require('express');\nconst { join } = require("path");`, ['express']],
    ['require.resolve', `require.resolve('chalk/package.json')`, ['chalk']],
    ['dynamic import', `const m = await import('chart.js');`, ['chart.js']],
    ['dynamic import, template without ${}', 'const m = await import(`dayjs`);', ['dayjs']],
    ['TS import = require', `import fs = require('fs-extra');`, ['fs-extra']],
    ['deep imports map to the package', `import fp from 'lodash/fp';\nimport x from '@mui/material/Button';`, ['lodash', '@mui/material']],
    ['node builtins skipped, with and without node:', `import fs from 'fs';\nimport { readFile } from 'node:fs/promises';\nimport test from 'node:test';\nimport p from 'path/posix';`, []],
    ['relative and absolute paths skipped', `import a from './a';\nimport b from '../b.js';\nimport c from '/abs/c';`, []],
    ['path aliases and subpath imports skipped', `import a from '@/components/A';\nimport b from '~/lib/b';\nimport c from '#internal/c';`, []],
    ['URLs and protocols skipped, npm: read', `import a from 'https://esm.sh/react';\nimport b from 'jsr:@std/path';\nimport c from 'npm:chalk@5';`, ['chalk']],
    ['comments skipped', `// import a from 'nope1'\n/* require('nope2')\n import b from 'nope3' */ import c from 'yes';`, ['yes']],
    ['strings are not imports', `const s = "import a from 'nope'";\nconst t = \`\${x} from 'nope2'\`;`, []],
    ['methods named import/require are not', `obj.require('nope');\nloader.import('nope2');`, []],
    ['require with a variable is not read', `require(name);\nimport(\`./\${x}\`);`, []],
    ['Vue/Svelte script blocks', `<script setup>\nimport { ref } from 'vue'\n</script>`, ['vue']],
  ];
  for (const [what, code, want] of CASES) it(what, () => assert.deepEqual(js(code), want));

  it('locates the name inside the quotes, with the kind of import', () => {
    const r = findJsImports(`\nconst x = require('@scope/pkg/sub');`, { file: 'src/a.js', line: 20 });
    assert.deepEqual(r.refs[0]?.origin, { file: 'src/a.js', line: 21, column: 20, endColumn: 30, context: 'require' });
  });

  it('skips minified lines longer than the cap, and says so once', () => {
    const long = `import a from 'a';${' '.repeat(20_000)}import b from 'b';`;
    const r = findJsImports(`${long}\n${long}\nimport c from 'c';`, { file: 'bundle.js' });
    assert.deepEqual(names(r), ['c']);
    assert.deepEqual(r.notes.map((n) => n.code), ['skipped']);
  });

  it('npmPackageOfSpecifier', () => {
    assert.equal(npmPackageOfSpecifier('@types/node'), '@types/node');
    assert.equal(npmPackageOfSpecifier('@scope'), undefined);
    assert.equal(npmPackageOfSpecifier('react-dom/client'), 'react-dom');
    assert.equal(npmPackageOfSpecifier('Bad Name'), undefined);
    assert.equal(npmPackageOfSpecifier('assert'), undefined);
    assert.equal(npmPackageOfSpecifier('vite/client?raw'), 'vite');
  });
});

describe('Python imports', () => {
  const CASES: Array<[string, string, string[]]> = [
    ['import x', 'import numpy', ['numpy']],
    ['import x as y, several', 'import numpy as np, pandas as pd', ['numpy', 'pandas']],
    ['dotted import', 'import matplotlib.pyplot as plt', ['matplotlib']],
    ['from x import y', 'from flask import Flask, request', ['flask']],
    ['import names map to distributions', 'import yaml\nimport cv2\nfrom sklearn.model_selection import train_test_split\nfrom PIL import Image\nimport bs4\nimport dateutil.parser', ['PyYAML', 'opencv-python', 'scikit-learn', 'Pillow', 'beautifulsoup4', 'python-dateutil']],
    ['overrides fix dated entries', 'import docker\nimport attr\nimport fitz', ['docker', 'attrs', 'PyMuPDF']],
    ['stdlib skipped', 'import os, sys, json\nfrom collections import OrderedDict\nimport asyncio\nfrom __future__ import annotations\nimport tomllib\nimport zoneinfo', []],
    ['relative imports skipped', 'from . import utils\nfrom .models import User\nfrom ..core import x', []],
    ['namespace packages by sub-module', 'from google.cloud import storage\nimport google.protobuf', ['google-cloud-storage', 'protobuf']],
    ['indented (try/if) imports', 'try:\n    import ujson as json\nexcept ImportError:\n    import json', ['ujson']],
    ['parenthesised names over lines', 'from requests.adapters import (\n    HTTPAdapter,\n    Retry,\n)\nimport httpx', ['requests', 'httpx']],
    ['semicolons and comments', 'import requests; import rich  # pretty\n# import nope', ['requests', 'rich']],
    ['docstrings are not code', '"""\nimport nope\n"""\nimport yes', ['yes']],
    ['dynamic imports with a literal', "m = importlib.import_module('pydantic')\nn = __import__(\"toml\")", ['pydantic', 'toml']],
    ['JS is not Python', `import React from 'react'`, []],
    ['line continuation', 'import requests, \\\n    rich', ['requests', 'rich']],
  ];
  for (const [what, code, want] of CASES) it(what, () => assert.deepEqual(py(code), want));

  it('keeps the import name and locates it', () => {
    const r = findPythonImports('x = 1\nimport yaml', { file: 'app.py' });
    assert.deepEqual(r.refs[0], { ecosystem: 'pypi', name: 'PyYAML', importName: 'yaml', origin: { file: 'app.py', line: 2, column: 8, endColumn: 12, context: 'import' } });
  });

  it('ambiguous imports give a note with the candidates and no ref', () => {
    const r = findPythonImports('import jwt\nfrom Crypto.Cipher import AES', { file: 'a.py' });
    assert.deepEqual(r.refs, []);
    assert.deepEqual(
      r.notes.map((n) => [n.code, n.name, n.origin.line]),
      [
        ['ambiguous-import', 'jwt', 1],
        ['ambiguous-import', 'Crypto.Cipher', 2],
      ],
    );
    assert.match(r.notes[0]!.message, /PyJWT, python-jwt/);
  });

  it('a bare namespace import is ambiguous', () => {
    const r = findPythonImports('import google', { file: 'a.py' });
    assert.deepEqual(r.refs, []);
    assert.match(r.notes[0]!.message, /namespace/);
  });

  it('local modules are skipped', () => {
    const r = findPythonImports('import mymod\nimport requests', { file: 'a.py' }, { localModules: new Set(['mymod']) });
    assert.deepEqual(names(r), ['requests']);
  });

  it('resolvePythonImport', () => {
    assert.deepEqual(resolvePythonImport('os.path'), { kind: 'stdlib' });
    assert.deepEqual(resolvePythonImport('serial'), { kind: 'distribution', name: 'pyserial', mapped: true });
    assert.deepEqual(resolvePythonImport('somethingunlisted'), { kind: 'distribution', name: 'somethingunlisted', mapped: false });
    assert.equal(resolvePythonImport('slugify').kind, 'ambiguous');
  });

  it('an unterminated docstring and a huge line do not throw', () => {
    assert.deepEqual(py(`"""never closed\nimport nope`), []);
    assert.deepEqual(py(`import ${'a'.repeat(50_000)}`), []);
  });
});
