// Imported first by main.ts: on an older Node the native SQLite driver crashes outright, so
// say what is wrong instead (scripts/node-env.sh puts Node 24 first on PATH).
const [major] = process.versions.node.split('.').map(Number);
if (major < 24) {
  console.error(
    `msproject needs Node 24 or later, this is ${process.versions.node}: run \`source scripts/node-env.sh\` first`,
  );
  process.exit(1);
}
