"""Admin forms for inviting and managing people and organisations."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovSelect, GovSubmitInput
from wtforms import BooleanField, RadioField, SelectField, SubmitField
from wtforms.validators import InputRequired, Optional

from ..forms import email_field, text_field
from ..models import MembershipRole, OrganisationKind, Role
from ..widgets import GovRadioInput

ROLE_CHOICES = [
    (Role.STAFF.value, _l("Staff: council and health officers")),
    (Role.FORUM_MEMBER.value, _l("Forum member: parent carer forum or parent group")),
    (Role.YOUTH_MEMBER.value, _l("Youth member: Youth Forum")),
    (Role.ADMIN.value, _l("Admin: manages people, groups and settings")),
]
MEMBERSHIP_CHOICES = [
    (MembershipRole.MEMBER.value, _l("Member")),
    (MembershipRole.LEAD.value, _l("Lead: signs off surveys for the group")),
]


def display_name_field():
    return text_field(_l("Name"), 100, _l("Enter a name"),
                      _l("Shown to colleagues. Youth members can use a first name or chosen name."),
                      too_long_error=_l("Name must be 100 characters or fewer"))


def role_field():
    return RadioField(
        _l("Role"),
        choices=ROLE_CHOICES,
        widget=GovRadioInput(),
        validators=[InputRequired(message=_l("Select a role"))],
    )


class InviteForm(FlaskForm):
    email = email_field()
    display_name = display_name_field()
    role = role_field()
    organisation = SelectField(
        _l("Organisation (optional)"), widget=GovSelect(), coerce=str, validators=[Optional()]
    )
    membership_role = RadioField(
        _l("Role in the organisation"),
        choices=MEMBERSHIP_CHOICES,
        default=MembershipRole.MEMBER.value,
        widget=GovRadioInput(),
        validators=[InputRequired(message=_l("Select a role in the organisation"))],
    )
    submit = SubmitField(_l("Create invitation"), widget=GovSubmitInput())


def user_form_class(organisations):
    """An edit form with one membership choice per organisation."""

    class UserForm(FlaskForm):
        display_name = display_name_field()
        role = role_field()
        active = BooleanField(_l("Account is active"), widget=GovCheckboxInput())
        safeguarding_lead = BooleanField(
            _l("Safeguarding lead: can see flagged answers unredacted"), widget=GovCheckboxInput()
        )
        submit = SubmitField(_l("Save changes"), widget=GovSubmitInput())

    for organisation in organisations:
        setattr(
            UserForm,
            f"org_{organisation.id}",
            SelectField(
                organisation.name,
                choices=[("", _l("Not a member")), *MEMBERSHIP_CHOICES],
                widget=GovSelect(),
                validators=[Optional()],
            ),
        )
    return UserForm


class OrganisationForm(FlaskForm):
    name = text_field(_l("Name"), 200, _l("Enter the organisation's name"),
                      too_long_error=_l("Name must be 200 characters or fewer"))
    kind = RadioField(
        _l("Kind of organisation"),
        choices=[(kind.value, kind.label) for kind in OrganisationKind],
        widget=GovRadioInput(),
        validators=[InputRequired(message=_l("Select the kind of organisation"))],
    )
    description = text_field(_l("Description (optional)"), 1000, area=True,
                             too_long_error=_l("Description must be 1000 characters or fewer"))
    submit = SubmitField(_l("Add organisation"), widget=GovSubmitInput())
