"""Import every area's models so Alembic and `db.create_all` see the whole schema."""

from seslip.accounts import models as accounts  # noqa: F401
from seslip.audit import models as audit  # noqa: F401
from seslip.challenge import models as challenge  # noqa: F401
from seslip.cycles import models as cycles  # noqa: F401
from seslip.documents import models as documents  # noqa: F401
from seslip.events import models as events  # noqa: F401
from seslip.library import models as library  # noqa: F401
from seslip.meetings import models as meetings  # noqa: F401
from seslip.networks import models as networks  # noqa: F401
from seslip.news import models as news  # noqa: F401
from seslip.notifications import models as notifications  # noqa: F401
from seslip.organisations import models as organisations  # noqa: F401
from seslip.programmes import models as programmes  # noqa: F401
from seslip.questionnaires import models as questionnaires  # noqa: F401
from seslip.terms import models as terms  # noqa: F401
