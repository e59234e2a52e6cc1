"""The navigator: the tree of units → reports → their screens (body, appraisal, forms), with
each report's status and counts of findings. On a large database a unit's reports are read
when the unit is opened, not at each start."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem

from desktop.app.session import report_tree, unit_reports
from desktop.exchange.annex import in_sentence, short_unit_name
from desktop.foundation.directory import era_note

KIND_ROLE = Qt.UserRole + 10
LOADED_ROLE = Qt.UserRole + 11  # a unit item whose reports are read
# Up to this many reports the navigator reads them all at start (a commune's or a district's
# database, the demo); beyond, a unit's reports are read when it is opened.
NAVIGATOR_ALL_UP_TO = 300
LEVEL_NAMES = {"tinh": "Tỉnh", "huyen": "Huyện", "xa": "Xã"}


def counts_text(errors_: int, warnings: int) -> str:
    if not errors_ and not warnings:
        return "không có lỗi"
    parts = []
    if errors_:
        parts.append(f"{errors_} lỗi")
    if warnings:
        parts.append(f"{warnings} cảnh báo")
    return ", ".join(parts)


class Navigator(QTreeWidget):
    """The window's tree; choosing an item opens it in ``window`` (open_report, open_narrative,
    open_appraisal), and ``window.perform`` runs what it reads."""

    def __init__(self, window) -> None:
        super().__init__()
        self._window = window
        self.report_items: dict[int, QTreeWidgetItem] = {}  # report id → its item, for counts updated in place
        self.unit_items: dict[str, QTreeWidgetItem] = {}
        self.setHeaderLabels(["Đơn vị / báo cáo / biểu", "Trạng thái", "Kiểm tra"])
        # narrow enough to leave an old office PC's 1024-wide screen six data columns of the widest
        # annexes; every name is in full in its tooltip, and the pane is resizable and collapsible
        self.setColumnWidth(0, 150)
        self.setColumnWidth(1, 48)
        self.setMinimumWidth(120)
        self.itemActivated.connect(self._navigate)
        self.itemExpanded.connect(self._load_unit)
        self.itemClicked.connect(self._navigate)

    def refresh(self) -> None:
        """Rebuild the tree; keep the open report and form selected, and the units opened before
        read again."""
        window = self._window
        wanted = {code for code, item in self.unit_items.items() if item.data(0, LOADED_ROLE)}
        if window.session is not None:
            wanted.add(window.session.data.report.unit_code)
        self.clear()
        self.report_items, self.unit_items = {}, {}
        tree = window.perform(lambda: report_tree(window.store, window.catalog, load=wanted,
                                                  all_up_to=NAVIGATOR_ALL_UP_TO), quiet=True)
        if isinstance(tree, Exception):
            return
        closed = []

        def add(parent, unit) -> None:
            short = short_unit_name(unit.name)
            item = QTreeWidgetItem([short[:1].upper() + short[1:] + era_note(unit.code),
                                    LEVEL_NAMES.get(unit.level, ""), ""])
            item.setToolTip(0, unit.name + era_note(unit.code))
            item.setData(0, KIND_ROLE, ("unit", unit.code))
            item.setData(0, LOADED_ROLE, unit.loaded)
            (parent.addChild(item) if parent else self.addTopLevelItem(item))
            self.unit_items[unit.code] = item
            if unit.loaded:
                self._add_reports(item, unit.reports)
            else:  # read when opened: a placeholder gives it the arrow
                item.setText(2, f"{unit.report_count} báo cáo")
                item.addChild(QTreeWidgetItem(["Đang đọc…", "", ""]))
                closed.append(item)
            for child in unit.children:
                add(item, child)

        for root in tree:
            add(None, root)
        self.blockSignals(True)  # expanding emits itemExpanded: it would read every closed unit
        self.expandToDepth(2)
        for item in closed:
            item.setExpanded(False)
        self.blockSignals(False)
        self.select()

    def _add_reports(self, item: QTreeWidgetItem, reports) -> None:
        """A unit's reports under its item (before its sub-units), each with its body, appraisal and forms."""
        position = len(self._report_children(item))
        for report in reports:
            node = QTreeWidgetItem([f"{report.period} (số {report.id})", report.status_label,
                                    counts_text(report.errors, report.warnings)])
            node.setToolTip(0, f"Báo cáo {in_sentence(report.period)}, số {report.id}: {report.form_set}")
            node.setData(0, KIND_ROLE, ("report", report.id))
            item.insertChild(position, node)
            position += 1
            self.report_items[report.id] = node
            if report.appraises:  # the level above's sheet: its units' sheets, appraised and ranked
                appraised = QTreeWidgetItem(["Thẩm định các đơn vị", "", ""])
                appraised.setToolTip(0, "Bảng tự chấm điểm của các đơn vị cấp dưới: điểm thẩm định, nhận xét, "
                                        "xếp hạng")
                appraised.setData(0, KIND_ROLE, ("appraisal", report.id))
                node.addChild(appraised)
            if report.has_body:  # a report with annexes has a body text; a sheet, its analysis's tasks
                body = QTreeWidgetItem(["Nội dung báo cáo", "", ""])
                body.setToolTip(0, "Phần lời của báo cáo (I–V), với số liệu lấy từ phụ lục" if report.forms else
                                "Phần lời của báo cáo phân tích: nhiệm vụ, giải pháp và tổ chức thực hiện")
                body.setData(0, KIND_ROLE, ("narrative", report.id))
                node.addChild(body)
            for form in report.forms:
                leaf = QTreeWidgetItem([f"{form.printed_code}", "", counts_text(form.errors, form.warnings)])
                leaf.setToolTip(0, form.title)
                leaf.setData(0, KIND_ROLE, ("form", report.id, form.code))
                if form.errors:
                    leaf.setForeground(2, Qt.darkRed)
                elif form.warnings:
                    leaf.setForeground(2, Qt.darkYellow)
                node.addChild(leaf)

    @staticmethod
    def _report_children(item: QTreeWidgetItem) -> list:
        return [item.child(i) for i in range(item.childCount())
                if (item.child(i).data(0, KIND_ROLE) or ("",))[0] == "report"]

    def _load_unit(self, item: QTreeWidgetItem) -> None:
        """A closed unit opened: its reports read now, in place of the placeholder."""
        kind = item.data(0, KIND_ROLE)
        if not kind or kind[0] != "unit" or item.data(0, LOADED_ROLE):
            return
        window = self._window
        found = window.perform(lambda: unit_reports(window.store, window.catalog, {kind[1]}), quiet=True)
        if isinstance(found, Exception):
            return
        item.takeChild(0)  # the placeholder
        item.setData(0, LOADED_ROLE, True)
        item.setText(2, "")
        self._add_reports(item, found.get(kind[1], []))

    def _show_unit_of(self, report_id: int) -> None:
        """The open report's unit read and opened in the tree, if it was closed."""
        session = self._window.session
        if report_id in self.report_items or session is None:
            return
        item = self.unit_items.get(session.data.report.unit_code)
        if item is None:
            return
        self._load_unit(item)
        parent = item
        while parent is not None:
            parent.setExpanded(True)
            parent = parent.parent()

    def _navigate(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        kind = item.data(0, KIND_ROLE)
        if not kind:
            return
        window = self._window
        if kind[0] == "form":
            window.open_report(kind[1], kind[2])
        elif kind[0] == "narrative":
            window.open_narrative(kind[1])
        elif kind[0] == "appraisal":
            window.open_appraisal(kind[1])
        elif kind[0] == "report":
            window.open_report(kind[1])

    def update_counts(self) -> None:
        """After an edit: the open report's and its forms' counts, without rebuilding the tree."""
        session = self._window.session
        if session is None:
            return
        item = self.report_items.get(session.report_id)  # that report's item alone, not the whole tree
        if item is None:
            return
        item.setText(2, counts_text(*session.counts()))
        for child in (item.child(i) for i in range(item.childCount())):
            kind = child.data(0, KIND_ROLE)
            if kind and kind[0] == "form":
                errors_, warnings = session.counts(kind[2])
                child.setText(2, counts_text(errors_, warnings))
                child.setForeground(2, Qt.darkRed if errors_ else Qt.darkYellow if warnings else Qt.black)

    def select(self, item_kind: tuple | None = None) -> None:
        """The open report's form (or ``item_kind``) selected, found under the report's own item:
        a form switch does not walk a province's whole tree."""
        window = self._window
        if window.session is None:
            return
        self._show_unit_of(window.session.report_id)
        wanted = item_kind or ("form", window.session.report_id, window.form_code)
        node = self.report_items.get(window.session.report_id)
        if node is None:
            return
        for item in [node] + [node.child(i) for i in range(node.childCount())]:
            if item.data(0, KIND_ROLE) == wanted:
                self.blockSignals(True)
                self.setCurrentItem(item)
                self.blockSignals(False)
                return
