#!/usr/bin/env bash
# Regenerates the WAL samples of this folder from a real PostgreSQL 15 (run as root or as the
# postgres user; needs /usr/lib/postgresql/15/bin). Each sample is a byte range of pg_wal that
# starts at a record and ends at a record end, gzipped, with pg_waldump -b's listing of it.
set -euo pipefail
[ -n "${DEBUG:-}" ] && set -x
B=/usr/lib/postgresql/15/bin
OUT=$(cd "$(dirname "$0")" && pwd)
W=$(mktemp -d /tmp/jneon-golden-wal.XXXXXX)
trap 'runuser -u postgres -- $B/pg_ctl -D $W/d -m immediate stop >/dev/null 2>&1 || true; rm -rf "$W"' EXIT
chown postgres "$W"
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
as_pg $B/initdb -D $W/d -U cloud_admin --auth trust --data-checksums --no-sync -E utf8 --locale C.UTF-8 >/dev/null
cat >> $W/d/postgresql.conf <<CONF
wal_consistency_checking = 'all'
wal_compression = lz4
fsync = off
autovacuum = off
max_prepared_transactions = 4
wal_keep_size = '1GB'
listen_addresses = ''
unix_socket_directories = '$W'
CONF
as_pg $B/pg_ctl -D $W/d -l $W/log -w start >/dev/null
P() { $B/psql -X -q -At -h $W -U cloud_admin -d postgres "$@"; }
lsn() { P -c "select pg_current_wal_insert_lsn()"; }
off() { P -c "select ('x' || lpad(split_part('$1', '/', 2), 8, '0'))::bit(32)::bigint % 16777216"; }
P -c "create table g (id int primary key, v text)"
i=0
step() {
  i=$((i + 1))
  m=$(echo "lz4 pglz zstd off" | cut -d' ' -f$((i % 4 + 1)))
  P -c "set wal_compression = '$m'" -c "begin" \
    -c "insert into g select g, md5(g::text) from generate_series($((i * 100)), $((i * 100 + 19))) g" \
    -c "savepoint a" -c "update g set v = v || '$m' where id > $((i * 100 - 300)) and id % 13 = $((i % 13))" -c "release a" -c "commit"
  if [ $((i % 5)) = 0 ]; then
    P -c "set wal_compression = '$m'" -c "begin" -c "delete from g where id = $((i * 100))" -c "prepare transaction 'p$i'"
    P -c "commit prepared 'p$i'"
  fi
}
sample() { # start end name
  local s=$1 e=$2 name=$3
  local dump=$($B/pg_waldump -b -p $W/d/pg_wal -s $s -e $e)
  local first=$(echo "$dump" | grep '^rmgr' | head -1 | sed 's/.*lsn: \([0-9A-F/]*\),.*/\1/')
  local last=$(echo "$dump" | grep '^rmgr' | tail -1 | sed 's/.*lsn: \([0-9A-F/]*\),.*/\1/')
  python3 - "$W/d/pg_wal" "$first" "$e" "$OUT/$name" <<'PY'
import sys, os
d, first, end, out = sys.argv[1:]
def lsn(t): hi, lo = t.split('/'); return (int(hi, 16) << 32) | int(lo, 16)
a, b = lsn(first), lsn(end)
seg = 16 * 1024 * 1024
data = bytearray()
p = a
while p < b:
    segno = p // seg
    name = '%08X%08X%08X' % (1, segno // 256, segno % 256)
    with open(os.path.join(d, name), 'rb') as f:
        f.seek(p % seg)
        n = min(b - p, seg - p % seg)
        data += f.read(n)
        p += n
open(out + '.wal', 'wb').write(data)
PY
  $B/pg_waldump -b -p $W/d/pg_wal -s $first -e $e > "$OUT/$name.waldump.txt"
  echo "start=$first" > "$OUT/$name.properties"
  echo "end=$e" >> "$OUT/$name.properties"
  gzip -9nf "$OUT/$name.wal" "$OUT/$name.waldump.txt"
}
# Sample 1: a record spans the end of segment 2.
while [ "$(off "$(lsn)")" -lt 250000 ] || [ "$(P -c "select pg_current_wal_insert_lsn() < '0/2000000'")" = t ]; do step; done
sample 0/1FB0000 "$(lsn)" spanning
# Sample 2: XLOG_SWITCH 100 KB before the end of a segment, then the next segment.
while [ "$(off "$(lsn)")" -lt $((16777216 - 400000)) ]; do step; done
S=$(lsn)
P -c "set wal_compression = 'pglz'" -c "insert into g values (-1, 'before the switch')"
P -c "select pg_switch_wal()" >/dev/null
step; step
sample "$S" "$(lsn)" switch
ls -l "$OUT"
