"""What every subject's pages share: the home page (工作台), the page address map, paging and
the transition forms."""
