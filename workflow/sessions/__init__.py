"""Joint sessions (审联体会议): convening, invitations and answers (accept, decline, delegate),
attendance, opinions, the quorum, the resolution and the minutes."""
