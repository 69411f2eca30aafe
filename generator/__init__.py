"""disclose: publishes 部门整体支出绩效目标申报表 from YAML as a MkDocs + Material site."""

__version__ = "0.1.0"
