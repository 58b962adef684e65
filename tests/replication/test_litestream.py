"""Litestream's config and process: what the YAML says, and what the child process gets."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml

from sync import litestream
from sync.litestream import config, environment, public_url
from sync.replicator import Litestream


def _replica(text: str) -> dict:
    [db] = yaml.safe_load(text)["dbs"]
    return db["replica"]


def test_an_s3_url_becomes_a_path_style_replica():
    url = "s3://replicas/kiosks/K01?endpoint=http://127.0.0.1:9000&region=eu-west-2"
    text = config("/data/kiosk.db", url, interval="5s", metrics_addr="127.0.0.1:9090")

    assert yaml.safe_load(text)["addr"] == "127.0.0.1:9090"
    assert yaml.safe_load(text)["dbs"][0]["path"] == "/data/kiosk.db"
    assert _replica(text) == {
        "type": "s3",
        "bucket": "replicas",
        "path": "kiosks/K01",
        "endpoint": "http://127.0.0.1:9000",
        "region": "eu-west-2",
        "force-path-style": True,
        "sync-interval": "5s",
    }
    assert "secret" not in text and "access-key" not in text


def test_an_sftp_url_uses_a_key_file_and_pins_the_host_key(tmp_path):
    host_key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"
    text = config(
        tmp_path / "kiosk.db",
        "sftp://kiosk@backup.example.org:2222/srv/replicas/kiosks/K01",
        sftp_key=tmp_path / "id_ed25519",
        sftp_host_key=host_key,
        socket_path=tmp_path / "control.sock",
    )

    assert yaml.safe_load(text)["socket"] == {
        "enabled": True,
        "path": str(tmp_path / "control.sock"),
    }
    assert _replica(text) == {
        "type": "sftp",
        "host": "backup.example.org:2222",
        "user": "kiosk",
        "path": "/srv/replicas/kiosks/K01",
        "key-path": str(tmp_path / "id_ed25519"),
        "host-key": host_key,
        "sync-interval": "1s",
    }


def test_a_password_in_the_url_never_reaches_a_message():
    url = "sftp://kiosk:hunter2@backup.example.org/srv/kiosks/K01"
    assert _replica(config("/data/kiosk.db", url))["password"] == "hunter2"
    assert public_url(url) == "sftp://kiosk@backup.example.org/srv/kiosks/K01"
    with pytest.raises(ValueError) as bad:
        config("/data/kiosk.db", "sftp://kiosk:hunter2@backup.example.org/")
    assert "hunter2" not in str(bad.value)


def test_a_directory_replica():
    assert _replica(config("/data/kiosk.db", "file:///mnt/usb/kiosks/K01"))["path"] == (
        "/mnt/usb/kiosks/K01"
    )


@pytest.mark.parametrize(
    "url, problem",
    [
        ("http://example.org/kiosks/K01", "must be s3://, sftp:// or file:///"),
        ("s3://replicas", "s3://BUCKET/PATH"),
        ("s3://replicas/K01?endpoint=http://x&colour=blue", "unknown option colour"),
        ("sftp://backup.example.org/srv/K01", "sftp://USER@HOST:PORT/PATH"),
        ("sftp://kiosk@backup.example.org/srv/K01", "needs a key file or a password"),
    ],
)
def test_a_bad_replica_url_says_what_is_wrong(url, problem):
    with pytest.raises(ValueError, match="(replica_url|sftp_key): ") as bad:
        config("/data/kiosk.db", url)
    assert problem in str(bad.value)


def test_a_bad_interval_is_refused():
    with pytest.raises(ValueError, match=r"interval: a duration like 1s or 500ms \(got soon\)"):
        config("/data/kiosk.db", "file:///mnt/usb/K01", interval="soon")


def test_litestream_itself_accepts_the_config(tmp_path, sftp):
    for url, options in [
        ("s3://replicas/kiosks/K01?endpoint=http://127.0.0.1:9&region=x", {}),
        (sftp.url("kiosks/K01"), {"sftp_key": sftp.client_key, "sftp_host_key": sftp.host_key}),
    ]:
        (tmp_path / "litestream.yml").write_text(config(tmp_path / "kiosk.db", url, **options))
        listed = subprocess.run(
            [litestream.binary(), "databases", "-config", str(tmp_path / "litestream.yml")],
            env=environment(),
            capture_output=True,
            text=True,
            check=True,
        )
        assert str(tmp_path / "kiosk.db") in listed.stdout


def test_the_environment_keeps_the_keys_and_drops_the_ca_bundle():
    env = environment(
        {
            "PATH": "/usr/bin",
            "AWS_CA_BUNDLE": "/etc/ssl/bundle.pem",
            "AWS_ACCESS_KEY_ID": "someone-else",
            "FIELDKIOSK_DATA": "/data",
            "LITESTREAM_ACCESS_KEY_ID": "key",
            "LITESTREAM_SECRET_ACCESS_KEY": "secret",
        }
    )
    assert env["LITESTREAM_ACCESS_KEY_ID"] == "key"
    assert env["LITESTREAM_SECRET_ACCESS_KEY"] == "secret"
    assert env["PATH"] == "/usr/bin" and env["AWS_EC2_METADATA_DISABLED"] == "true"
    assert not {"AWS_CA_BUNDLE", "AWS_ACCESS_KEY_ID", "FIELDKIOSK_DATA"} & set(env)


def test_an_s3_replica_without_keys_is_refused(tmp_path):
    with pytest.raises(ValueError, match="LITESTREAM_ACCESS_KEY_ID: an s3 replica needs"):
        Litestream(tmp_path / "kiosk.db", "s3://replicas/K01", env={"PATH": "/usr/bin"})


def test_the_running_process_has_the_clean_environment(tmp_path, s3, monkeypatch):
    monkeypatch.setenv("AWS_CA_BUNDLE", "/nonexistent/bundle.pem")
    monkeypatch.setenv("FIELDKIOSK_PASSWORD", "not for litestream")
    env = {**s3.env, "AWS_CA_BUNDLE": "/nonexistent/bundle.pem"}
    with Litestream(tmp_path / "kiosk.db", s3.url("kiosks/env"), env=env) as running:
        assert running.process is not None
        environ = Path(f"/proc/{running.process.pid}/environ").read_bytes().split(b"\0")
        names = {item.partition(b"=")[0].decode() for item in environ if item}
        config_mode = running.config_path.stat().st_mode & 0o777
    assert "AWS_CA_BUNDLE" not in names and "FIELDKIOSK_PASSWORD" not in names
    assert {"LITESTREAM_ACCESS_KEY_ID", "LITESTREAM_SECRET_ACCESS_KEY"} <= names
    assert config_mode == 0o600
    assert not running.running and not running.runtime_dir.exists()


def test_kill_stops_it_at_once_and_start_reports_a_bad_config(tmp_path, s3):
    replicator = Litestream(tmp_path / "kiosk.db", s3.url("kiosks/kill"), **s3.options).start()
    replicator.kill()
    assert not replicator.running
    broken = Litestream(tmp_path / "kiosk.db", s3.url("kiosks/kill"), **s3.options)
    broken._config = "dbs: [{path: " + str(tmp_path / "kiosk.db") + "}]\n"
    with pytest.raises(RuntimeError, match="litestream exited with status 1"):
        broken.start()
