"""Making a confidential site's address public takes two people: the one who asks, and an
administrator who approves."""
