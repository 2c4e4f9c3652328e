// Reads query strings, one per line, and writes what Express's `qs` parses from each as one
// line of JSON: the tests compare it with the value the runtime encoded.
const qs = require("qs");
const lines = require("fs").readFileSync(0, "utf8").split("\n");
for (const line of lines) {
  if (line.length === 0) continue;
  const parsed = qs.parse(line, { depth: 32, arrayLimit: 1000, parameterLimit: 100000 });
  process.stdout.write(JSON.stringify(parsed) + "\n");
}
