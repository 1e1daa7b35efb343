// Module hooks (node:module `register`) that post the URL of every module resolved to the port in
// `data`: how test/support/send-modules-probe.ts sees the ES modules a process loads.
let port;

export function initialize(data) {
  port = data.port;
}

export async function resolve(specifier, context, nextResolve) {
  const result = await nextResolve(specifier, context);
  port.postMessage(result.url);
  return result;
}
