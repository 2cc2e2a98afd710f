// The local outbox page: message bodies escaped, their http(s) URLs clickable (a reveal link opens from
// the outbox as it would from the customer's phone), anything else inert.
import { startRecorder, type Recorder } from '#local/recorder';

let outbox: Recorder;

beforeAll(async () => {
  outbox = await startRecorder();
});

afterAll(() => outbox.stop());

const entry = { channel: 'recorder', kind: 'CODE', locale: 'en', to: { phone: '+966501234567' }, ref: 'S1/O1/L1#1', subject: 'Your code for order R-1' };

async function pageWith(body: string): Promise<string> {
  outbox.record({ ...entry, body });
  const res = await fetch(`${outbox.url}/`);
  expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
  return res.text();
}

describe('outbox page', () => {
  it('turns a reveal link into a link that sends no referrer, the text around it unchanged', async () => {
    const url = 'https://api.example/c/Rv7QxL2mNp8KdW4tYc6HbJ0s';
    const page = await pageWith(`Open your code (the page shows it once):\n${url}\nLink valid until 2026-07-14`);
    expect(page).toContain(`Open your code (the page shows it once):\n<a href="${url}" rel="noreferrer" target="_blank">${url}</a>\nLink valid until 2026-07-14`);
  });

  it('leaves a trailing full stop or bracket outside the link', async () => {
    const page = await pageWith('See http://127.0.0.1:4000/c/abc. (or http://127.0.0.1:4000/x)');
    expect(page).toContain('<a href="http://127.0.0.1:4000/c/abc" rel="noreferrer" target="_blank">http://127.0.0.1:4000/c/abc</a>.');
    expect(page).toContain('<a href="http://127.0.0.1:4000/x" rel="noreferrer" target="_blank">http://127.0.0.1:4000/x</a>)');
  });

  it('links nothing but http(s), and escapes what it links', async () => {
    const page = await pageWith('javascript:alert(1) data:text/html,x <script>alert(2)</script> https://a.example/"><img src=x>');
    // Newest first: the message just recorded is the first one on the page.
    const message = page.slice(page.indexOf('<pre'), page.indexOf('</pre>'));
    expect(message).not.toMatch(/<script|<img|href="(javascript|data):/);
    expect(message).toContain('javascript:alert(1) data:text/html,x &lt;script&gt;alert(2)&lt;/script&gt; ');
    expect(message).toContain('<a href="https://a.example/" rel="noreferrer" target="_blank">https://a.example/</a>&quot;&gt;&lt;img src=x&gt;');
  });
});
