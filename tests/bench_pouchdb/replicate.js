// The PouchDB side of tests/bench_sync.py: the same records the sync agent pushed, put into
// a local PouchDB, then replicated to pouchdb-server once; prints what it took as JSON.
//
//   NODE_PATH=var/bench/pouchdb/node_modules node replicate.js DOCS.jsonl REMOTE_URL LOCAL_DIR
'use strict';

const fs = require('fs');
const path = require('path');
const PouchDB = require('pouchdb');

async function main() {
  const [docsFile, remoteUrl, localDir] = process.argv.slice(2);
  const docs = fs
    .readFileSync(docsFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
  const local = new PouchDB(path.join(localDir, 'kiosk'));
  for (let start = 0; start < docs.length; start += 1000) {
    await local.bulkDocs(docs.slice(start, start + 1000));
  }
  const remote = new PouchDB(remoteUrl);
  const begun = process.hrtime.bigint();
  const result = await local.replicate.to(remote);
  const seconds = Number(process.hrtime.bigint() - begun) / 1e9;
  const info = await remote.info();
  await local.close();
  console.log(
    JSON.stringify({
      ok: result.ok,
      docs_written: result.docs_written,
      remote_docs: info.doc_count,
      seconds,
    }),
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
