"""Issue 8 acceptance through the real stack: clients connect to the stack's proxy (cplane-v1 against the
control plane), which authenticates them with SCRAM, wakes their endpoint's compute and relays to it.
Every test makes its own project, endpoint and role and stops its endpoint at the end."""

from __future__ import annotations

import os
import random
import signal
import socket
import struct
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg2
import pytest
import requests

from fixtures.control_plane import ControlPlane
from fixtures.proxy import Proxy, first_message, proxy_endpoint, startup_packet
from fixtures.stack import Stack, process_of

JAVA = Path("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java")
SERVERLESS = "@neondatabase/serverless@1.2.0"  # the version proxy-sql's SqlOverHttpIT runs


def test_psql_pgbench_psycopg2_and_errors_through_the_proxy(stack: Stack):
    proxy = Proxy(stack)
    with proxy_endpoint(stack) as ep:
        result = proxy.psql(proxy.dsn(ep), "select current_user, current_database(), 6 * 7")
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == f"{ep.role}|{ep.dbname}|42"

        hack = proxy.dsn(ep, password=f"endpoint={ep.id};{ep.password}", endpoint_option=None)
        result = proxy.psql(hack, "select 'hacked in'")
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == "hacked in"

        proxy.pgbench(proxy.dsn(ep), "-i", "-s", "1", "-q")
        bench = proxy.pgbench(proxy.dsn(ep), "-S", "-T", "5", "-c", "2")
        assert "number of failed transactions: 0" in bench.stdout, bench.stdout

        with proxy.connect(ep) as conn, conn.cursor() as cur:
            cur.execute("select count(*) from pgbench_accounts")
            assert cur.fetchone() == (100000,)
            cur.execute("select %s::text || %s::text", ("through ", "the proxy"))
            assert cur.fetchone() == ("through the proxy",)

        with pytest.raises(psycopg2.OperationalError, match="password authentication failed for user"):
            proxy.connect(ep, password="not-" + ep.password)
        result = proxy.psql(proxy.dsn(ep, password="wrong"), "select 1")
        assert result.returncode != 0 and "password authentication failed for user" in result.stderr

        result = proxy.psql(proxy.dsn(ep, endpoint_option="ep-nobody-knows"), "select 1")
        assert result.returncode != 0
        assert "endpoint cannot be found" in result.stderr, result.stderr


def test_jdbc_through_the_proxy(stack: Stack, tmp_path: Path):
    jar = pgjdbc_jar()
    if jar is None:
        pytest.skip("no pgjdbc jar in ~/.m2/repository/org/postgresql/postgresql")
    proxy = Proxy(stack)
    program = tmp_path / "JdbcThroughProxy.java"
    program.write_text("""
        import java.sql.*;
        import java.util.Properties;

        public class JdbcThroughProxy {
            public static void main(String[] a) throws Exception {
                var props = new Properties();
                props.setProperty("user", a[1]);
                props.setProperty("password", a[2]);
                props.setProperty("options", "endpoint=" + a[3]);
                props.setProperty("sslmode", "disable");
                props.setProperty("connectTimeout", "120");
                try (Connection c = DriverManager.getConnection(a[0], props);
                     PreparedStatement st = c.prepareStatement("select ? * 2, current_user")) {
                    st.setInt(1, 21);
                    try (ResultSet rs = st.executeQuery()) {
                        rs.next();
                        System.out.println(rs.getInt(1) + " " + rs.getString(2));
                    }
                }
                props.setProperty("password", "wrong");
                try (Connection c = DriverManager.getConnection(a[0], props)) {
                    System.out.println("wrong password accepted");
                } catch (SQLException e) {
                    System.out.println(e.getSQLState() + " " + e.getMessage());
                }
            }
        }
        """)
    with proxy_endpoint(stack) as ep:
        url = f"jdbc:postgresql://127.0.0.1:{proxy.pg_port}/{ep.dbname}"
        result = subprocess.run([str(JAVA), "-Xmx128m", "-cp", str(jar), str(program), url, ep.role, ep.password,
                                 ep.id], capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, result.stderr
        lines = result.stdout.strip().splitlines()
        assert lines[0] == f"42 {ep.role}"
        assert lines[1].startswith("28P01 ") and "password authentication failed for user" in lines[1]


def test_scale_to_zero_and_wake_through_the_proxy(stack: Stack):
    proxy = Proxy(stack)
    cp = ControlPlane(stack)
    with proxy_endpoint(stack, suspend_timeout_seconds=5) as ep:
        with proxy.connect(ep) as conn, conn.cursor() as cur:
            cur.execute("create table visits (id int primary key, note text)")
            cur.execute("insert into visits select g, 'visit ' || g from generate_series(1, 1000) g")
        conn.close()
        first = cp.endpoint(ep.id)
        assert first["pid"] is not None

        idle = cp.await_state(ep.id, "idle", seconds=180)
        assert idle["pid"] is None and not process_of(first["pid"], "compute-ctl")

        with proxy.connect(ep) as conn, conn.cursor() as cur:
            cur.execute("select count(*), max(note) from visits")
            assert cur.fetchone() == (1000, "visit 999")
        conn.close()
        woken = cp.endpoint(ep.id)
        assert woken["state"] == "active" and woken["compute_id"] != first["compute_id"]


def test_killed_compute_with_a_cached_address_is_woken_again(stack: Stack):
    proxy = Proxy(stack)
    cp = ControlPlane(stack)
    with proxy_endpoint(stack) as ep:
        with proxy.connect(ep) as conn, conn.cursor() as cur:
            cur.execute("create table survivors (id int)")
            cur.execute("insert into survivors values (1), (2), (3)")
        conn.close()
        before = cp.endpoint(ep.id)
        compute_ctl = before["pid"]
        postmaster = postmaster_pid(stack, ep.id)
        assert process_of(compute_ctl, "compute-ctl") and process_of(postmaster, "postgres")
        for pid in (compute_ctl, postmaster):
            os.kill(pid, signal.SIGKILL)
        await_gone(compute_ctl, postmaster)

        with proxy.connect(ep) as conn, conn.cursor() as cur:
            cur.execute("select sum(id) from survivors")
            assert cur.fetchone() == (6,)
        conn.close()
        after = cp.endpoint(ep.id)
        assert after["state"] == "active" and after["pid"] != compute_ctl


def test_neon_serverless_driver_over_http(stack: Stack, tmp_path: Path):
    proxy = Proxy(stack)
    install = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix", str(tmp_path), SERVERLESS],
                             capture_output=True, text=True, timeout=600)
    if install.returncode != 0:
        pytest.skip(f"npm install {SERVERLESS} failed: {install.stderr[-500:]}")
    script = tmp_path / "driver.cjs"
    script.write_text("""
        const { neon, neonConfig } = require('@neondatabase/serverless');
        neonConfig.fetchEndpoint = () => process.env.SQL_URL;
        const sql = neon(process.env.CONN);
        (async () => {
          const rows = await sql`SELECT ${41}::int + 1 AS n, current_user AS who`;
          const [, , counted] = await sql.transaction([
            sql`CREATE TABLE notes (id int, body text)`,
            sql`INSERT INTO notes VALUES (1, 'a'), (2, 'b')`,
            sql`SELECT count(*)::int AS c, current_setting('transaction_isolation') AS iso FROM notes`,
          ], { isolationLevel: 'Serializable' });
          let err = null;
          try { await sql`SELECT * FROM missing_table`; } catch (e) { err = e.code; }
          console.log(JSON.stringify({ rows, counted, err }));
        })().catch((e) => { console.error(e); process.exit(1); });
        """)
    with proxy_endpoint(stack) as ep:
        conn = f"postgresql://{ep.role}:{ep.password}@{ep.id}.local.jneon.dev/{ep.dbname}"
        result = subprocess.run(["node", str(script)], capture_output=True, text=True, timeout=600, cwd=tmp_path,
                                env={**os.environ, "SQL_URL": proxy.sql_url, "CONN": conn})
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == ('{"rows":[{"n":42,"who":"' + ep.role + '"}],'
                                         '"counted":[{"c":2,"iso":"serializable"}],"err":"42P01"}')
        with Proxy(stack).connect(ep) as pg, pg.cursor() as cur:
            cur.execute("select string_agg(body, ',' order by id) from notes")
            assert cur.fetchone() == ("a,b",)
        pg.close()


def test_garbage_oversized_and_concurrent_connections_leave_the_proxy_working(stack: Stack):
    proxy = Proxy(stack)
    with proxy_endpoint(stack) as ep:
        with proxy.connect(ep) as conn, conn.cursor() as cur:
            cur.execute("select 1")
        conn.close()

        noise = random.Random(8).randbytes(4096)
        for payload in (noise, b"\x16\x03\x01" + noise[:509],
                        struct.pack("!ii", 0x7FFFFFF0, 196608) + b"user\0alice\0" * 1000,
                        startup_packet({"user": ep.role, "options": "endpoint=" + ep.id, "x": "y" * 20000})):
            answer = first_message(proxy.pg_port, payload)
            assert answer in (b"", b"E"), f"{payload[:8]!r} -> {answer!r}"

        hello = startup_packet({"user": ep.role, "database": ep.dbname, "options": "endpoint=" + ep.id})

        def attempt(_: int) -> bytes:
            return first_message(proxy.pg_port, hello)

        with ThreadPoolExecutor(max_workers=100) as pool:
            answers = list(pool.map(attempt, range(100)))
        assert answers == [b"R"] * 100, "every attempt gets its SCRAM challenge"

        half_open = [socket.create_connection(("127.0.0.1", proxy.pg_port), timeout=30) for _ in range(20)]
        try:
            with proxy.connect(ep) as conn, conn.cursor() as cur:
                cur.execute("select 'still serving'")
                assert cur.fetchone() == ("still serving",)
            conn.close()
        finally:
            for sock in half_open:
                sock.close()
        assert requests.get(proxy.http_url + "/v1/status", timeout=30).ok


def pgjdbc_jar() -> Path | None:
    jars = sorted(Path.home().glob(".m2/repository/org/postgresql/postgresql/*/postgresql-*.jar"))
    return next((j for j in reversed(jars) if not j.name.endswith(("-sources.jar", "-javadoc.jar"))), None)


def postmaster_pid(stack: Stack, endpoint_id: str) -> int:
    pid_file = stack.dir / "control_plane" / "computes" / endpoint_id / "pgdata" / "postmaster.pid"
    return int(pid_file.read_text().splitlines()[0])


def await_gone(*pids: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while any(Path(f"/proc/{pid}").exists() and not zombie(pid) for pid in pids):
        assert time.monotonic() < deadline, f"processes {pids} survived SIGKILL"
        time.sleep(0.1)


def zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True
