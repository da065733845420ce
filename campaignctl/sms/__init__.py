"""SMS: message length and segment arithmetic shared by texts, budget and the SMS channel."""
