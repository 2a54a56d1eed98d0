// What the interop scripts share: run the script's main, and on anything unexpected say what the library objected to
// (with the response body or field it names when it gives one) on stderr and exit 1. The tests read stdout's JSON.

export async function run(main) {
  try {
    await main();
  } catch (e) {
    const details = { name: e?.name, code: e?.code, message: e?.message, cause: e?.cause };
    process.stderr.write(`Unexpected ${e?.name ?? 'error'}: ${e?.message ?? e}\n${safeJson(details)}\n`);
    process.exitCode = 1;
  }
}

function safeJson(value) {
  try {
    return JSON.stringify(value, (_, v) => (v instanceof Response ? `[Response ${v.status}]` : v));
  } catch {
    return String(value);
  }
}
