"""The local store: durability, audit, repeating rows, backups, damage, migrations, write failures."""

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap

import pytest
import sqlite_utils

from conftest import new_report

from desktop.foundation.messages import CchcError
from desktop.foundation.periods import Period
from desktop.store import migrations
from desktop.store.backups import StoreDamaged, list_backups, restore_latest
from desktop.store.db import Store


def test_cells_are_stored_and_every_change_is_audited(store):
    report = new_report(store)
    store.cells.set(report, "5B", "I", "tong", "10")
    store.cells.set(report, "5B", "I", "tong", "12")
    store.cells.set(report, "5B", "I", "tong", None)
    store.cells.set(report, "5B", "I", "moi", "3")
    assert store.cells.get(report) == {"5B": {"I": {"moi": "3"}}}
    changes = [(a.old, a.new, a.user) for a in store.audit.entries(report) if a.action == "cell"]
    assert changes == [(None, "10", "kiemthu"), ("10", "12", "kiemthu"), ("12", None, "kiemthu"), (None, "3", "kiemthu")]
    assert all(a.at for a in store.audit.entries(report))


def test_reports_units_settings(store):
    report = new_report(store, communes=3)
    assert [u.name for u in store.units.children("H1")] == ["Xã 1", "Xã 2", "Xã 3"]
    with pytest.raises(CchcError) as raised:
        store.reports.create("H1", Period("nam", 2020), "test", 1)
    assert raised.value.code == "STORE012"
    store.reports.update(report, doc_number="542/BC-UBND", status="da_kiem_tra")
    with pytest.raises(CchcError) as raised:
        store.reports.update(report, status="xong")
    assert raised.value.code == "STORE015" and "Đã kiểm tra" in str(raised.value)
    assert store.reports.get(report).doc_number == "542/BC-UBND"
    assert store.reports.find("H1", Period("nam", 2020), "test") == report
    store.settings.set("signer", {"name": "[Họ tên]", "deadline_day": 20})
    assert store.settings.get("signer") == {"name": "[Họ tên]", "deadline_day": 20}
    with pytest.raises(CchcError):
        store.reports.get(999)


def test_repeating_rows_insert_move_delete(store):
    report = new_report(store)
    a = store.rows.add(report, "T", "tasks")
    b = store.rows.add(report, "T", "tasks")
    c = store.rows.add(report, "T", "tasks", position=0)
    assert store.rows.of(report) == {"T": {"tasks": [c, a, b]}}
    store.cells.set(report, "T", a, "ten", "Nhiệm vụ A")
    store.rows.move(report, "T", a, 2)
    assert store.rows.of(report)["T"]["tasks"] == [c, b, a]
    store.rows.delete(report, "T", a)
    assert store.rows.of(report)["T"]["tasks"] == [c, b]
    assert store.cells.get(report) == {}
    d = store.rows.add(report, "T", "tasks")
    assert d not in (a, b, c)  # a deleted row's id is never reused


def test_attachments_are_kept_once_by_sha256(store):
    report = new_report(store)
    digest = store.attachments.add(report, "T", "tasks#1", "kh.pdf", b"%PDF-1.4 minh chung")
    store.attachments.add(report, "T", "tasks#2", "ban-sao.pdf", b"%PDF-1.4 minh chung")
    assert store.conn.execute("SELECT count(*) FROM blobs").fetchone()[0] == 1
    assert [a.filename for a in store.attachments.of(report)] == ["kh.pdf", "ban-sao.pdf"]
    assert store.attachments.blob(digest) == b"%PDF-1.4 minh chung"


CHILD = textwrap.dedent("""
    import sys
    from desktop.store.db import Store
    store = Store.open(sys.argv[1], daily_backup=False)
    report = int(sys.argv[2])
    i = 0
    while True:
        store.cells.set(report, "5B", f"r{i}", "tong", str(i))
        print(i, flush=True)  # said only after the commit returned
        i += 1
""")


def test_a_killed_process_loses_no_committed_cell(tmp_path):
    path = tmp_path / "data.db"
    with Store.open(path) as store:
        report = new_report(store)
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(path), str(report)], stdout=subprocess.PIPE, text=True)
    acknowledged = []
    for line in child.stdout:
        acknowledged.append(int(line))
        if len(acknowledged) == 200:
            break
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    with Store.open(path) as store:
        cells = store.cells.get(report)["5B"]
    for i in acknowledged:
        assert cells[f"r{i}"]["tong"] == str(i)


def _damage(path, offset, data):
    with open(path, "r+b") as handle:
        handle.seek(offset)
        handle.write(data)


@pytest.mark.parametrize("where", ["header", "page"])
def test_a_damaged_file_says_so_and_the_latest_good_backup_restores_it(tmp_path, where):
    path = tmp_path / "data.db"
    with Store.open(path) as store:
        report = new_report(store)
        for i in range(300):  # enough rows for several pages
            store.cells.set(report, "5B", f"r{i}", "ghi_chu", "x" * 50)
        store.backups.make("thu")
        store.cells.set(report, "5B", "sau", "tong", "1")
    page_size = 4096
    if where == "header":
        _damage(path, 0, b"this is not sqlite" * 4)
    else:
        size = path.stat().st_size
        _damage(path, size - 3 * page_size, b"\x0d\xff\xff\xff" * (page_size // 4))
    with pytest.raises(StoreDamaged) as raised:
        Store.open(path)
    message = str(raised.value)
    assert "bị hỏng" in message and "restore" in message and raised.value.backup is not None
    restored = restore_latest(path)
    assert restored == raised.value.backup
    with Store.open(path) as store:
        assert store.cells.get(report)["5B"]["r299"]["ghi_chu"] == "x" * 50
        assert "sau" not in store.cells.get(report)["5B"]  # typed after the backup: lost with the damage
    assert list(tmp_path.glob("data.db.hong-*"))  # the damaged file is kept aside, not deleted


def test_no_backup_at_all(tmp_path):
    path = tmp_path / "data.db"
    path.write_bytes(b"garbage" * 1000)
    with pytest.raises(StoreDamaged) as raised:
        Store.open(path)
    assert raised.value.backup is None and "Không tìm thấy bản sao lưu" in str(raised.value)
    with pytest.raises(CchcError):
        restore_latest(path)


def test_backups_rotate_and_one_daily_backup_is_made(tmp_path):
    path = tmp_path / "data.db"
    with Store.open(path) as store:
        new_report(store)
        for _ in range(15):
            store.backups.make("truoc-xuat")
    assert len(list_backups(path)) == 10
    with Store.open(path):
        pass
    with Store.open(path):
        pass
    daily = [p for p in list_backups(path) if p.stem.endswith("hang-ngay")]
    assert len(daily) == 1


def test_full_disk_changes_nothing_and_says_so(store):
    report = new_report(store)
    store.cells.set(report, "5B", "a", "tong", "1")
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count = {pages}")  # the disk is full from here on
    big = [("5B", f"r{i}", "ghi_chu", "y" * 500) for i in range(200)]
    with pytest.raises(CchcError) as raised:
        store.cells.set_many(report, big)
    assert raised.value.code == "STORE004" and "ổ đĩa đã đầy" in str(raised.value)
    assert store.cells.get(report) == {"5B": {"a": {"tong": "1"}}}
    assert not store.conn.in_transaction


def test_read_only_file_changes_nothing_and_says_so(tmp_path):
    path = tmp_path / "data.db"
    with Store.open(path) as store:
        report = new_report(store)
    with Store.open(path, read_only=True) as store:
        with pytest.raises(CchcError) as raised:
            store.cells.set(report, "5B", "a", "tong", "1")
        assert raised.value.code == "STORE005"
        assert store.cells.get(report) == {}


def test_migration_from_the_first_schema_keeps_the_data(tmp_path):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    migrations.migrate(sqlite_utils.Database(conn), 0, target=1)
    conn.execute("INSERT INTO units VALUES ('H1', 'Huyện cũ', 'huyen', NULL, 0)")
    conn.execute("INSERT INTO reports (id, unit_code, period_type, year, form_set_id, form_set_version, status) "
                 "VALUES (7, 'H1', 'nam', 2019, 'test', 1, 'nhap')")
    conn.execute("INSERT INTO cells VALUES (7, '5B', 'I', 'tong', '5697')")
    conn.close()
    with Store.open(path) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == migrations.LATEST
        assert store.reports.get(7).version == 1
        assert store.cells.get(7) == {"5B": {"I": {"tong": "5697"}}}
        store.attachments.add(7, "5B", "I", "a.pdf", b"x")  # a table the first schema did not have
    assert any("truoc-nang-cap" in p.name for p in list_backups(path))


def test_a_database_from_a_newer_version_is_refused(tmp_path):
    path = tmp_path / "new.db"
    with Store.open(path):
        pass
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(CchcError) as raised:
        Store.open(path)
    assert raised.value.code == "STORE007"


def test_backups_are_bounded_by_size_too_and_the_newest_stays(tmp_path, monkeypatch):
    """Three imports into a 103 MB file once left 295 MB of copies: the backups together stay
    within a bound (here made small), the oldest going first and the newest always kept."""
    from desktop.store import backups as store_module

    path = tmp_path / "data.db"
    with Store.open(path) as store:
        new_report(store)
        store.settings.set("ballast", "x" * 200_000)  # a database of a few hundred kB
        size = path.stat().st_size + 200_000
        monkeypatch.setattr(store_module, "MIN_BACKUP_BYTES", 0)
        monkeypatch.setattr(store_module, "BACKUP_SIZE_FACTOR", 3)
        made = [store.backups.make(f"lan-{n}") for n in range(8)]
    kept = list_backups(path)
    assert made[-1] in kept and len(kept) < 8
    assert sum(p.stat().st_size for p in kept) <= 3 * max(size, path.stat().st_size) + kept[0].stat().st_size


def test_an_import_right_after_a_backup_does_not_copy_the_database_again(tmp_path):
    path = tmp_path / "data.db"
    with Store.open(path, daily_backup=False) as store:
        new_report(store)
        first = store.backups.recent("truoc-nhap")
        assert first is not None and store.backups.recent("truoc-nhap") is None
    assert len(list_backups(path)) == 1


def test_a_scratch_store_is_a_fresh_migrated_store_each_time():
    """A receiver verifies each package in a scratch store: copied from a template migrated once per
    process, it has the schema ``open(":memory:")`` builds, and nothing one package wrote is seen by
    the next."""
    fresh = Store.open(":memory:", daily_backup=False, user="thu")
    schema = "SELECT type, name, sql FROM sqlite_master ORDER BY type, name"
    first = Store.scratch(user="thu")
    assert first.conn.execute(schema).fetchall() == fresh.conn.execute(schema).fetchall()
    assert first.conn.execute("PRAGMA user_version").fetchone() == fresh.conn.execute("PRAGMA user_version").fetchone()
    assert first.conn.execute("PRAGMA foreign_keys").fetchone() == (1,)
    first.units.add("H1", "Huyện Thử", "huyen")
    first.close()
    second = Store.scratch(user="thu")
    assert second.units.all() == []
    second.close()
    fresh.close()
