// A single-file (bundled) Worker, as `mycli versions upload` expects.
export default {
  async fetch(request, env) {
    const authorised = request.headers.get('authorization') === `Bearer ${env.API_KEY}`;
    return new Response(authorised ? `${env.GREETING}, friend` : env.GREETING, {
      headers: { 'content-type': 'text/plain' },
    });
  },
};
