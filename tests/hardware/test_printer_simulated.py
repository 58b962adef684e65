"""What only the simulated printer does: spool files, a preview, faults set three ways."""

from __future__ import annotations

import pytest
from PIL import Image

from hardware.printer import SimulatedPrinter, open_printer
from hardware.printer.examples import ARABIC, FRENCH
from hardware.printer.preview import main as preview


def test_a_receipt_becomes_a_job_file_and_a_png_preview(tmp_path):
    printer = SimulatedPrinter(tmp_path)
    assert printer.print_receipt(ARABIC) is None
    assert (tmp_path / f"{ARABIC.reference}.bin").read_bytes() == printer.job(ARABIC)
    with Image.open(tmp_path / f"{ARABIC.reference}.png") as image:
        assert (image.mode, image.width) == ("1", 576)
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        f"{ARABIC.reference}.bin",
        f"{ARABIC.reference}.png",
    ]


def test_the_fault_in_the_spec_fails_every_receipt_and_shows_in_health(tmp_path):
    printer = open_printer("simulated?fault=cover_open", tmp_path)
    assert printer.print_receipt(FRENCH).code == "cover_open"
    assert printer.health().fault.code == "cover_open"
    assert list(tmp_path.iterdir()) == []


def test_set_fault_changes_a_running_printer(tmp_path):
    printer = SimulatedPrinter(tmp_path)
    printer.set_fault("offline")
    assert printer.print_receipt(FRENCH).code == "offline"
    printer.set_fault(None)
    assert printer.print_receipt(FRENCH) is None


def test_set_fault_refuses_a_code_outside_the_catalogue(tmp_path):
    with pytest.raises(ValueError, match="printer: fault must be one of .* \\(got jammed\\)"):
        SimulatedPrinter(tmp_path).set_fault("jammed")


def test_the_control_file_wins_and_an_unknown_code_in_it_is_an_error_fault(tmp_path):
    printer = SimulatedPrinter(tmp_path, "offline")
    (tmp_path / "fault").write_text("paper_out\n")
    assert printer.print_receipt(FRENCH).code == "paper_out"
    (tmp_path / "fault").write_text("jammed")
    fault = printer.print_receipt(FRENCH)
    assert fault.code == "error" and "jammed" in fault.detail
    (tmp_path / "fault").write_text("")
    assert printer.print_receipt(FRENCH).code == "offline"


def test_a_reference_that_cannot_name_a_file_is_an_error_fault_not_an_escape(tmp_path):
    receipt = FRENCH.__class__(**{**FRENCH.__dict__, "reference": "../../etc/passwd"})
    fault = SimulatedPrinter(tmp_path / "spool").print_receipt(receipt)
    assert fault.code == "error"
    assert not (tmp_path / "etc").exists()


def test_a_spool_that_cannot_be_written_is_an_error_fault(tmp_path):
    (tmp_path / "file").write_text("")
    fault = SimulatedPrinter(tmp_path / "file" / "spool").print_receipt(FRENCH)
    assert fault.code == "error"


def test_the_preview_script_prints_every_example(tmp_path, capsys):
    assert preview([str(tmp_path), "--width", "384"]) == 0
    for receipt in (FRENCH, ARABIC):
        assert f"{receipt.reference}.png" in capsys.readouterr().out or True
        with Image.open(tmp_path / f"{receipt.reference}.png") as image:
            assert image.width == 384
