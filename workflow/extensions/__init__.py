"""Extensions (延期): an item's owner asks for more time; a coordinator approves or refuses."""
