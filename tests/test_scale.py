"""Scale tests (`make test-slow`): memory stays flat as the site grows."""

import json
import resource
import subprocess
import sys

import pytest

from pipeline.demo.server import free_port

from conftest import ROOT


def crawl_peak_mb(tmp_path, articles: int) -> tuple[float, dict]:
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "pipeline.demo", "serve", "--articles", str(articles),
                               "--port", str(port)], cwd=ROOT, stderr=subprocess.DEVNULL)
    try:
        import time
        import urllib.request
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/robots.txt", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        config = tmp_path / f"s{articles}.yaml"
        config.write_text("sources:\n  - name: demo\n    allow_private_addresses: true\n"
                          f'    sitemaps: ["http://127.0.0.1:{port}/sitemap.xml"]\n    max_depth: 0\n'
                          f"    max_pages: {articles + 10}\n    requests_per_second: 5000\n    concurrency: 32\n")
        code = ("import json, resource, sys; from pipeline.cli import main; sys.argv = ['pipeline', '--db', "
                f"{str(tmp_path / f'{articles}.db')!r}, '--config', {str(config)!r}, 'crawl', '--json']; "
                "import atexit; atexit.register(lambda: print(json.dumps({'peak_mb': "
                "resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}), file=sys.stderr)); main()")
        out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=1800)
        assert out.returncode == 0, out.stderr[-500:]
        peak = json.loads(out.stderr.strip().splitlines()[-1])["peak_mb"]
        return peak, json.loads(out.stdout)
    finally:
        server.kill()
        server.wait()


@pytest.mark.slow
def test_memory_is_flat_from_1000_to_10000_pages(tmp_path):
    small, small_summary = crawl_peak_mb(tmp_path, 1000)
    large, large_summary = crawl_peak_mb(tmp_path, 10000)
    assert small_summary["new"] == 1000 and large_summary["new"] == 10000
    assert large < small * 1.5, (small, large)
